/**
 * Blocking iterables (docs/architecture.md): a type is one if it, or a base type, is tagged
 * `@blockingIterable`, or if it has a symbol-keyed method (`[GREEN_ITERATOR]()`) returning a type so tagged
 * (the runtime tags GreenIterator). Structural, so any object shaped like BlockingIterable<T> counts.
 */
import ts from 'typescript';
import type { IterationKind } from './types.js';
import { symbolHasTag } from './tags.js';

export class BlockingIterables {
  private cache = new Map<ts.Type, boolean>();
  constructor(private checker: ts.TypeChecker) {}

  /** 'green': always a blocking iterable; 'dynamic': maybe (a union with one, any); 'plain': never. */
  kindOf(type: ts.Type): IterationKind {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'dynamic';
    if (type.isUnion()) {
      let some = false;
      let all = true;
      for (const t of type.types) {
        if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) continue;
        const k = this.kindOf(t);
        if (k !== 'plain') some = true;
        if (k !== 'green') all = false;
      }
      return all && some ? 'green' : some ? 'dynamic' : 'plain';
    }
    if (type.isIntersection()) return type.types.some((t) => this.kindOf(t) === 'green') ? 'green' : 'plain';
    if (!(type.flags & ts.TypeFlags.Object)) {
      if (type.flags & ts.TypeFlags.TypeParameter) {
        const c = this.checker.getBaseConstraintOfType(type);
        return c && c !== type ? this.kindOf(c) : 'dynamic';
      }
      return 'plain';
    }
    return this.isBlocking(type) ? 'green' : 'plain';
  }

  private isBlocking(type: ts.Type): boolean {
    const target = (type as ts.TypeReference).target ?? type;
    const hit = this.cache.get(target);
    if (hit !== undefined) return hit;
    this.cache.set(target, false); // cycles through base types
    const r = this.compute(type, target);
    this.cache.set(target, r);
    return r;
  }

  private compute(type: ts.Type, target: ts.Type): boolean {
    if (symbolHasTag(target.symbol, 'blockingIterable') || symbolHasTag(type.aliasSymbol, 'blockingIterable')) return true;
    if (target.isClassOrInterface()) {
      for (const b of this.checker.getBaseTypes(target)) if (this.isBlocking(b)) return true;
    }
    for (const p of this.checker.getPropertiesOfType(type)) {
      const name = p.escapedName as string;
      if (!name.startsWith('__@') || name.startsWith('__@iterator@') || name.startsWith('__@asyncIterator@')) continue;
      if (name.startsWith('__@GREEN_ITERATOR@')) return true;
      const pt = this.checker.getTypeOfSymbol(p);
      for (const sig of pt.getCallSignatures()) {
        const rt = sig.getReturnType();
        if (symbolHasTag(rt.symbol, 'blockingIterable') || symbolHasTag(rt.aliasSymbol, 'blockingIterable')) return true;
      }
    }
    return false;
  }
}
