/**
 * How roots are declared: JSDoc tags, which survive into `.d.ts` so packages compiled by greenlets mark their
 * own green exports the same way (docs/architecture.md, "Declaring roots").
 *   @blocking          a blocking primitive or any green function/method/property (a root of the analysis)
 *   @blockingIterable  an interface whose objects (or whose [GREEN_ITERATOR]() results) block when iterated
 *   @acceptsGreen      a function/method/class of untransformed code that knows the green calling convention
 *                      (spawn, Greenlet, link): green callbacks may be passed to it as they are
 */
import ts from 'typescript';
import { comparePositions, wordPosition, type Position, type PropertyPositions } from './positions.js';

export function hasJSDocTag(decl: ts.Node, tag: string): boolean {
  for (const t of ts.getJSDocTags(decl)) if (t.tagName.text === tag) return true;
  // `export const f = ...`: the JSDoc sits on the VariableStatement.
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent)) {
    const stmt = decl.parent.parent;
    if (ts.isVariableStatement(stmt)) for (const t of ts.getJSDocTags(stmt)) if (t.tagName.text === tag) return true;
  }
  return false;
}

export function symbolHasTag(symbol: ts.Symbol | undefined, tag: string): boolean {
  if (!symbol?.declarations) return false;
  for (const d of symbol.declarations) if (hasJSDocTag(d, tag)) return true;
  return false;
}

/** Follow import/export aliases to the declared symbol. */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    try {
      return checker.getAliasedSymbol(symbol);
    } catch {
      return symbol;
    }
  }
  return symbol;
}

/** Declarations whose runtime value is not one fixed function: calls through them must test [GREEN] (dynamic). */
export function isAbstractDeclaration(decl: ts.Declaration): boolean {
  if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl) || ts.isCallSignatureDeclaration(decl)) return true;
  const mods = ts.canHaveModifiers(decl) ? ts.getModifiers(decl) : undefined;
  return mods?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) ?? false;
}

/** Is this untransformed declaration aware of the green calling convention (green callbacks may pass as is)? */
export function acceptsGreen(decl: ts.Declaration, isRuntimeDir: (dir: string) => boolean): boolean {
  if (hasJSDocTag(decl, 'acceptsGreen')) return true;
  const parent = decl.parent;
  if (parent && (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && hasJSDocTag(parent, 'acceptsGreen'))
    return true;
  // Until every runtime entry point carries the tag: the greenlets package's own declarations know the convention.
  // A runtime directory is one holding the calling convention (convention.ts / .d.ts with @blockingIterable).
  const file = decl.getSourceFile().fileName;
  return isRuntimeDir(file.slice(0, file.lastIndexOf('/'))) || /\/node_modules\/greenlets\//.test(file);
}

/**
 * `@blocking` alone: the declaration always may block. `@blocking fn` (what a library compiled by greenlets
 * emits for a function that blocks only through its callback parameters): it blocks only when given green
 * functions as those parameters — the positions returned. A word may also name one property of a parameter:
 * `options.onRetry`, or `onRetry` of a destructured `{ onRetry }` (positions.ts). Words of the tag's comment
 * that name no parameter are prose (`@blocking until ready`): the declaration blocks always.
 */
export function blockingPositions(checker: ts.TypeChecker, symbol: ts.Symbol, interned: PropertyPositions): 'always' | Position[] {
  const positions = new Set<Position>();
  for (const d of symbol.declarations ?? []) {
    const tags = [...ts.getJSDocTags(d)];
    if (ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent) && ts.isVariableStatement(d.parent.parent)) {
      tags.push(...ts.getJSDocTags(d.parent.parent));
    }
    for (const t of tags) {
      if (t.tagName.text !== 'blocking') continue;
      const words = (ts.getTextOfJSDocComment(t.comment) ?? '').split(/[\s,]+/).filter((w) => w.length > 0);
      if (words.length === 0) return 'always';
      const params = parameterDeclarations(checker, d);
      const found = words.map((w) => wordPosition(params, w, interned));
      if (found.some((p) => p === undefined)) return 'always';
      for (const p of found) positions.add(p!);
    }
  }
  return positions.size > 0 ? [...positions].sort(comparePositions) : 'always';
}

/** The parameters of a function-like declaration, or of the first call signature of a variable's type. */
export function parameterDeclarations(checker: ts.TypeChecker, d: ts.Declaration): readonly ts.ParameterDeclaration[] {
  if (ts.isFunctionLike(d)) return d.parameters;
  const sig = checker.getTypeAtLocation(d).getCallSignatures()[0];
  const decl = sig?.getDeclaration();
  return decl && !ts.isJSDocSignature(decl) ? decl.parameters : [];
}
