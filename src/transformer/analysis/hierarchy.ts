/**
 * Class hierarchies (design.md §2): a call through a class-typed receiver (`b.run()` with `b: Base`) may reach
 * the method and every override of it in a subclass, including arrow-valued fields (`run = () => …`) and
 * implementations of abstract methods. Static methods are looked up on the constructor side (`this.create()`
 * in a static method reaches a subclass's static `create`). The hierarchy bounds a call better than the
 * field-based `run` property, which merges every class's `run`.
 */
import ts from 'typescript';
import type { FunctionLike } from './types.js';
import { resolveAlias } from './tags.js';

function memberName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function isStatic(m: ts.ClassElement): boolean {
  return ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Static ? true : false;
}

/** The function a class member runs when called: a method with a body, or an arrow/function field. */
export function memberFunction(m: ts.ClassElement): FunctionLike | undefined {
  if (ts.isMethodDeclaration(m) && m.body) return m;
  if (ts.isPropertyDeclaration(m) && m.initializer) {
    let init = m.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

export class Hierarchy {
  /** Declaration symbol of a member → functions of subclasses that override it. */
  private overrides = new Map<ts.Symbol, FunctionLike[]>();

  constructor(private checker: ts.TypeChecker) {}

  /** Record every member of `cls` as an override of the same-named members of its ancestors. */
  addClass(cls: ts.ClassLikeDeclaration): void {
    const instance: Array<[string, FunctionLike]> = [];
    const statics: Array<[string, FunctionLike]> = [];
    for (const m of cls.members) {
      const n = memberName(m.name);
      const fn = memberFunction(m);
      if (n === undefined || fn === undefined) continue;
      (isStatic(m) ? statics : instance).push([n, fn]);
    }
    if (instance.length > 0) {
      const clsSym = cls.name ? this.checker.getSymbolAtLocation(cls.name) : (cls as { symbol?: ts.Symbol }).symbol;
      const self = clsSym ? this.checker.getDeclaredTypeOfSymbol(clsSym) : undefined;
      const ancestors: ts.Type[] = [];
      if (self?.isClassOrInterface()) this.walkBases(self, ancestors, new Set());
      for (const h of cls.heritageClauses ?? []) {
        if (h.token !== ts.SyntaxKind.ImplementsKeyword) continue;
        for (const t of h.types) this.walkBases(this.checker.getTypeAtLocation(t), ancestors, new Set(), true);
      }
      for (const a of ancestors) this.record(a, instance);
    }
    if (statics.length > 0) {
      const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      // The constructor side: typeof Base, and its bases' constructor sides through the same lookup.
      if (ext) this.record(this.checker.getTypeAtLocation(ext.expression), statics);
    }
  }

  private walkBases(t: ts.Type, out: ts.Type[], seen: Set<ts.Type>, includeSelf = false): void {
    const target = (t as ts.TypeReference).target ?? t;
    if (seen.has(target)) return;
    seen.add(target);
    if (includeSelf) out.push(t);
    if (target.isClassOrInterface()) for (const b of this.checker.getBaseTypes(target)) this.walkBases(b, out, seen, true);
  }

  private record(ancestor: ts.Type, members: Array<[string, FunctionLike]>): void {
    for (const [name, fn] of members) {
      const p = this.checker.getPropertyOfType(ancestor, name);
      if (!p) continue;
      const key = resolveAlias(this.checker, p);
      // A property of an instantiated generic base is a fresh symbol; the declaration's own symbol is the key.
      for (const d of key?.declarations ?? []) {
        const ds = this.declSymbol(d) ?? key!;
        let list = this.overrides.get(ds);
        if (!list) this.overrides.set(ds, (list = []));
        if (!list.includes(fn)) list.push(fn);
      }
    }
  }

  declSymbol(d: ts.Declaration): ts.Symbol | undefined {
    const name = (d as ts.NamedDeclaration).name;
    return name ? this.checker.getSymbolAtLocation(name) : undefined;
  }

  /** The overrides of a member declaration (transitively: overrides of overrides are recorded against every
   * ancestor, because each class walks all of its ancestors). */
  overridesOf(decl: ts.Declaration): readonly FunctionLike[] {
    const s = this.declSymbol(decl);
    return (s && this.overrides.get(s)) ?? [];
  }
}
