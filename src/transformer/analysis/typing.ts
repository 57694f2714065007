/**
 * What the TypeScript types say about where function values can be (design.md §2: "the TypeScript types narrow
 * it further"). Two questions, both cached and both asked only when a value actually reaches a place:
 *   - can a place of this type hold a function at all? (`number`, `string[]`, `Map<K, V>`, an interface
 *     without call signatures: no — that is what keeps the shared element field from making every
 *     `for (const item of queue) console.log(item)` look like a green callback);
 *   - can this particular function value be there? (its type is assignable to the place's), which undoes
 *     the merging of the field-based flow (every `handle` property is one field).
 * Where the types cannot answer soundly (`any`, `Function`, `object`, type parameters, a value or place whose
 * type mentions type parameters of an enclosing generic), the answer is yes.
 */
import ts from 'typescript';
import { BLOCKING_ITERABLE, type Value } from './model.js';
import type { BlockingIterables } from './iterables.js';

export class Typing {
  private holdCache = new Map<ts.Type, boolean>();
  private valueTypes = new Map<number, ts.Type | null>();
  private genericValues = new Map<number, boolean>();
  private acceptCache = new Map<ts.Type, Map<number, boolean>>();
  private nodeTypes = new Map<ts.Node, ts.Type>();

  constructor(
    private checker: ts.TypeChecker,
    private values: readonly Value[],
    private iterables: BlockingIterables,
  ) {}

  typeAt(node: ts.Node): ts.Type {
    let t = this.nodeTypes.get(node);
    if (t === undefined) {
      t = this.checker.getTypeAtLocation(node);
      this.nodeTypes.set(node, t);
    }
    return t;
  }

  /** Could a value of type `t` be a function? */
  canHoldFunction(t: ts.Type): boolean {
    let r = this.holdCache.get(t);
    if (r === undefined) {
      this.holdCache.set(t, true); // recursive types: assume yes while computing
      r = this.computeHold(t, 0);
      this.holdCache.set(t, r);
    }
    return r;
  }

  private computeHold(t: ts.Type, depth: number): boolean {
    const f = t.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive)) return true;
    if (f & (ts.TypeFlags.TypeParameter | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution | ts.TypeFlags.Index)) {
      if (f & ts.TypeFlags.Index) return false; // keyof T: string | number | symbol
      const c = this.checker.getBaseConstraintOfType(t);
      if (!c || c === t || depth > 4) return true;
      return this.computeHold(c, depth + 1);
    }
    if (t.isUnion()) return t.types.some((u) => this.computeHold(u, depth + 1));
    if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) return true;
    if (t.isIntersection()) return t.types.every((u) => this.computeHold(u, depth + 1));
    if (!(f & ts.TypeFlags.Object)) return false; // primitives, literals, enums, void, null, never
    const sym = t.getSymbol();
    const name = sym?.name;
    if (name === 'Function' || name === 'CallableFunction' || name === 'NewableFunction' || name === 'Object') return true;
    // `{}`: anything but null/undefined may be in it.
    const props = this.checker.getPropertiesOfType(t);
    if (props.length === 0 && !this.checker.getIndexInfosOfType(t).length) return true;
    return false;
  }

  /** The static type of a function value (its declaration's type; a bound function: the bind call's). */
  valueType(v: number): ts.Type | undefined {
    let t = this.valueTypes.get(v);
    if (t === undefined) {
      const val = this.values[v]!;
      t =
        val.kind === 'root' ? this.checker.getTypeOfSymbol(val.symbol)
        : val.kind === 'bound' ? this.typeAt(val.call)
        : val.kind === 'outside' || val.kind === 'iterable' ? undefined
        : this.typeAt(val.node);
      this.valueTypes.set(v, t ?? null);
    }
    return t ?? undefined;
  }

  /** Is the value's type unusable for assignability (it mentions type parameters of an enclosing generic)? */
  private isGenericValue(v: number): boolean {
    let r = this.genericValues.get(v);
    if (r === undefined) {
      const t = this.valueType(v);
      r = t === undefined || mentionsTypeParameter(this.checker, t);
      this.genericValues.set(v, r);
    }
    return r;
  }

  private genericPlaces = new Map<ts.Type, boolean>();
  private placeIsGeneric(t: ts.Type): boolean {
    let r = this.genericPlaces.get(t);
    if (r === undefined) this.genericPlaces.set(t, (r = mentionsTypeParameter(this.checker, t)));
    return r;
  }

  /** May function value `v` be in a place of type `place`? */
  accepts(place: ts.Type, v: number): boolean {
    let m = this.acceptCache.get(place);
    if (m === undefined) this.acceptCache.set(place, (m = new Map()));
    let r = m.get(v);
    if (r === undefined) {
      r = this.computeAccepts(place, v);
      m.set(v, r);
    }
    return r;
  }

  private computeAccepts(place: ts.Type, v: number): boolean {
    if (!this.canHoldFunction(place)) return false;
    const target = this.checker.getNonNullableType(place);
    if (target.getCallSignatures().length === 0) return true;
    // Arity first, from the syntax: a function needing more arguments than the place ever passes cannot be
    // there (checked before the far costlier assignability). It holds for generic values and places too: the
    // methods of a generic class (`_siftDown(start, end, item: T)`) are not every typed callback.
    const need = this.requiredArguments(v);
    if (need > 0 && need > this.maxArguments(target)) return false;
    if (this.placeIsGeneric(target) || this.isGenericValue(v)) return true;
    const vt = this.valueType(v);
    if (vt === undefined || vt.getCallSignatures().length === 0) return true;
    return this.checker.isTypeAssignableTo(vt, target);
  }

  private required = new Map<number, number>();
  /** Arguments a function value needs (parameters without `?`, default or `...`); 0 when unknown. */
  private requiredArguments(v: number): number {
    let n = this.required.get(v);
    if (n === undefined) {
      n = 0;
      const val = this.values[v]!;
      if (val.kind === 'fn') {
        for (const p of val.node.parameters) {
          if (p.questionToken || p.initializer || p.dotDotDotToken) break;
          if (ts.isIdentifier(p.name) && p.name.text === 'this') continue;
          n++;
        }
      }
      this.required.set(v, n);
    }
    return n;
  }

  private maxArgs = new Map<ts.Type, number>();
  /** The most arguments a caller of a place of this type passes (Infinity with a rest parameter). */
  private maxArguments(t: ts.Type): number {
    let n = this.maxArgs.get(t);
    if (n === undefined) {
      n = 0;
      for (const sig of t.getCallSignatures()) {
        const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
        const params = sig.getParameters();
        const last = params[params.length - 1]?.valueDeclaration;
        if (!decl || (last && ts.isParameter(last) && last.dotDotDotToken)) {
          n = Infinity;
          break;
        }
        n = Math.max(n, params.length);
      }
      if (t.getCallSignatures().length === 0) n = Infinity;
      this.maxArgs.set(t, n);
    }
    return n;
  }

  /**
   * The filter of a flow node whose place has the type `typeOf()`, computed when the first value arrives: a
   * place that cannot hold a function refuses everything, one without call signatures (`any`, `Function`)
   * takes everything, a function-typed one asks per value (and remembers its refusals, because the same value
   * arrives again along every edge into the place). A blocking iterable gets into a place whose type can hold
   * one (iterables.ts mayHold).
   */
  placeFilter(typeOf: () => ts.Type | undefined): (value: number) => boolean {
    const UNKNOWN = 0, NONE = 1, ALL = 2, EACH = 3;
    let state = UNKNOWN;
    let place: ts.Type | undefined;
    let typed = false;
    let refused: Set<number> | undefined;
    let iterable: boolean | undefined;
    return (v) => {
      if (!typed) {
        typed = true;
        place = typeOf();
      }
      if (v === BLOCKING_ITERABLE) return (iterable ??= place === undefined || this.iterables.mayHold(place));
      if (state === UNKNOWN) {
        if (place === undefined) state = ALL;
        else if (!this.canHoldFunction(place)) state = NONE;
        else if (this.checker.getNonNullableType(place).getCallSignatures().length === 0) state = ALL;
        else state = EACH;
      }
      if (state !== EACH) return state === ALL;
      if (refused?.has(v)) return false;
      if (this.accepts(place!, v)) return true;
      (refused ??= new Set()).add(v);
      return false;
    };
  }
}

/** Does `t` mention a type parameter (shallowly: union members, signatures' parameters and returns, type
 * arguments)? Then assignability would compare against an uninstantiated T and be wrong. */
export function mentionsTypeParameter(checker: ts.TypeChecker, t: ts.Type, depth = 0, seen = new Set<ts.Type>()): boolean {
  if (depth > 3 || seen.has(t)) return false;
  seen.add(t);
  if (t.flags & (ts.TypeFlags.TypeParameter | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) return true;
  if (t.isUnionOrIntersection()) return t.types.some((u) => mentionsTypeParameter(checker, u, depth + 1, seen));
  if (t.flags & ts.TypeFlags.Object) {
    if ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
      const args = checker.getTypeArguments(t as ts.TypeReference);
      if (args.some((a) => mentionsTypeParameter(checker, a, depth + 1, seen))) return true;
    }
    for (const sig of t.getCallSignatures()) {
      if (sig.typeParameters?.length) continue; // its own type parameters are instantiated by assignability
      if (mentionsTypeParameter(checker, sig.getReturnType(), depth + 1, seen)) return true;
      for (const p of sig.getParameters()) {
        if (mentionsTypeParameter(checker, checker.getTypeOfSymbol(p), depth + 1, seen)) return true;
      }
    }
  }
  return false;
}
