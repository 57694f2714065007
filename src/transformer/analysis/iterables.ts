/**
 * Blocking iterables (docs/architecture.md): a type is one if it, or a base type, is tagged
 * `@blockingIterable`, or if it has a symbol-keyed method (`[GREEN_ITERATOR]()`) returning a type so tagged
 * (the runtime tags GreenIterator). Structural, so any object shaped like BlockingIterable<T> counts.
 */
import ts from 'typescript';
import type { IterationKind } from './types.js';
import { symbolHasTag } from './tags.js';

/** TypeScript's own iterable and iterator interfaces: a blocking iterable may be behind any of them. */
const GENERAL_ITERABLES = new Set(['Iterable', 'IterableIterator', 'Iterator', 'IteratorObject']);

function skipWrappers(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

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

  /** Is `type` a blocking iterable, or a union with one (`Queue<T> | T[]`)? `any` is not: it says nothing. */
  contains(type: ts.Type): boolean {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
    if (type.isUnionOrIntersection()) return type.types.some((t) => this.contains(t));
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const c = this.checker.getBaseConstraintOfType(type);
      return c !== undefined && c !== type && this.contains(c);
    }
    return (type.flags & ts.TypeFlags.Object) !== 0 && this.isBlocking(type);
  }

  /**
   * Is what `expr` evaluates to a blocking iterable (or maybe one, a union)? Its own type says, unless a
   * type-only wrapper hid it: `iwait(gs) as Iterable<Greenlet<T>>` is still iwait's object.
   */
  containsExpr(expr: ts.Expression, typeAt: (e: ts.Node) => ts.Type): boolean {
    if (this.contains(typeAt(expr))) return true;
    const inner = skipWrappers(expr);
    return inner !== expr && this.contains(typeAt(inner));
  }

  /**
   * Can a place of this type hold a blocking iterable that was handed to it under a more general type? `any`,
   * `unknown`, `object`, `{}`, a type parameter without a narrower constraint, `Iterable<T>` (and the iterator
   * interfaces a cast may name), an interface with nothing but `[Symbol.iterator]`, a blocking iterable type
   * itself, or a union with one of those. Arrays, Maps, Sets, strings, records: no.
   */
  mayHold(type: ts.Type): boolean {
    let r = this.holdCache.get(type);
    if (r === undefined) {
      this.holdCache.set(type, false); // recursive constraints
      r = this.computeMayHold(type, 0);
      this.holdCache.set(type, r);
    }
    return r;
  }
  private holdCache = new Map<ts.Type, boolean>();

  private computeMayHold(type: ts.Type, depth: number): boolean {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive)) return true;
    if (f & (ts.TypeFlags.TypeParameter | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) {
      const c = this.checker.getBaseConstraintOfType(type);
      if (!c || c === type || depth > 4) return true;
      return this.computeMayHold(c, depth + 1);
    }
    if (type.isUnionOrIntersection()) return type.types.some((t) => this.computeMayHold(t, depth + 1));
    if (!(f & ts.TypeFlags.Object)) return false;
    if (this.isBlocking(type)) return true;
    const target = (type as ts.TypeReference).target ?? type;
    const name = target.symbol?.name;
    if (name !== undefined && GENERAL_ITERABLES.has(name) && !target.symbol?.declarations?.some((d) => !d.getSourceFile().hasNoDefaultLib)) return true;
    if (name === 'Object') return true;
    const props = this.checker.getPropertiesOfType(type);
    if (props.length === 0) return this.checker.getIndexInfosOfType(type).length === 0; // `{}`
    return props.length === 1 && (props[0]!.escapedName as string).startsWith('__@iterator@') && type.getCallSignatures().length === 0;
  }

  /**
   * Does a parameter declared with this type take an ordinary iterable to walk (`Iterable<T>`, `Iterable<T> |
   * null`, a type parameter constrained to one, an interface with nothing but `[Symbol.iterator]`)? Not when it
   * names a blocking iterable itself (its code knows it gets one), nor for `any`, `unknown`, `object` or an
   * unconstrained type parameter (`console.log(q)`, `structuredClone(q)`: nothing says they iterate it).
   */
  iteratesPlainly(type: ts.Type): boolean {
    return !this.contains(type) && this.namesIterable(type, 0);
  }

  private namesIterable(type: ts.Type, depth: number): boolean {
    const f = type.flags;
    if (depth > 4 || f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
    if (f & ts.TypeFlags.TypeParameter) {
      const c = this.checker.getBaseConstraintOfType(type);
      return c !== undefined && c !== type && this.namesIterable(c, depth + 1);
    }
    if (type.isUnionOrIntersection()) return type.types.some((t) => this.namesIterable(t, depth + 1));
    if (!(f & ts.TypeFlags.Object)) return false;
    const target = (type as ts.TypeReference).target ?? type;
    const name = target.symbol?.name;
    if (name !== undefined && GENERAL_ITERABLES.has(name) && !target.symbol?.declarations?.some((d) => !d.getSourceFile().hasNoDefaultLib)) return true;
    const props = this.checker.getPropertiesOfType(type);
    return props.length === 1 && (props[0]!.escapedName as string).startsWith('__@iterator@') && type.getCallSignatures().length === 0;
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
