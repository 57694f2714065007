/**
 * Where a conditional function gets the green functions that make it block (model.ts `condOn`, the words of a
 * root's `@blocking` tag): an argument (its index), or one named property of an argument — `options.onRetry`
 * read off a parameter, or `onRetry` destructured from one. Property positions are interned per analysis
 * (PropertyPositions), so both kinds compare by identity and serve as Map keys.
 */
import ts from 'typescript';

export interface PropertyPosition {
  readonly index: number;
  readonly prop: string;
}

export type Position = number | PropertyPosition;

export class PropertyPositions {
  private byKey = new Map<string, PropertyPosition>();

  get(index: number, prop: string): PropertyPosition {
    const key = `${index}.${prop}`;
    let p = this.byKey.get(key);
    if (p === undefined) this.byKey.set(key, (p = { index, prop }));
    return p;
  }
}

export function argumentIndex(p: Position): number {
  return typeof p === 'number' ? p : p.index;
}

/** Arguments in order, an argument before its properties. */
export function comparePositions(a: Position, b: Position): number {
  const d = argumentIndex(a) - argumentIndex(b);
  if (d !== 0) return d;
  const pa = typeof a === 'number' ? '' : a.prop;
  const pb = typeof b === 'number' ? '' : b.prop;
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/** The declared parameters of a signature, without a `this` parameter (argument i is element i). */
export function argumentParameters(params: readonly ts.ParameterDeclaration[]): readonly ts.ParameterDeclaration[] {
  const p0 = params[0];
  return p0 && ts.isIdentifier(p0.name) && p0.name.text === 'this' ? params.slice(1) : params;
}

/**
 * A position as a `@blocking` word names it: the parameter's name, `options.onRetry` for a property of a named
 * parameter, the property's own name for a destructured one (`{ onRetry }` in the .d.ts); undefined when the
 * parameter has no name a word could give (a property of an array pattern, a missing parameter).
 */
export function positionWord(params: readonly ts.ParameterDeclaration[], position: Position): string | undefined {
  const p = argumentParameters(params)[argumentIndex(position)];
  if (p === undefined) return undefined;
  if (typeof position === 'number') return ts.isIdentifier(p.name) ? p.name.text : undefined;
  if (ts.isIdentifier(p.name)) return `${p.name.text}.${position.prop}`;
  return ts.isObjectBindingPattern(p.name) ? position.prop : undefined;
}

/** The position a `@blocking` word names among `params` (the inverse of positionWord), or undefined. */
export function wordPosition(params: readonly ts.ParameterDeclaration[], word: string, positions: PropertyPositions): Position | undefined {
  const args = argumentParameters(params);
  const dot = word.indexOf('.');
  if (dot > 0) {
    const index = args.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === word.slice(0, dot));
    const prop = word.slice(dot + 1);
    return index >= 0 && /^[\w$]+$/.test(prop) ? positions.get(index, prop) : undefined;
  }
  const index = args.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === word);
  if (index >= 0) return index;
  // `{ onRetry }: Options`: a property of a destructured parameter.
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.name;
    if (!ts.isObjectBindingPattern(name)) continue;
    for (const el of name.elements) {
      const key = el.propertyName ?? el.name;
      if (!el.dotDotDotToken && ts.isIdentifier(key) && key.text === word) return positions.get(i, word);
    }
  }
  return undefined;
}
