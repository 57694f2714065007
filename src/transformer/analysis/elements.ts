/**
 * Elements of arrays, Maps, Sets and other containers, split by the container's declared element type.
 *
 * One shared element field (the classic field-based answer) lets every function ever stored in any array reach
 * every `for (const l of this.listeners) l(r)`: a zero-argument route handler `() => ok(flush())` is a valid
 * `(r: Rec) => void`, so every store's listener loop became green. Here a write goes to the field of the
 * element type of the container it is written into (`Map<string, Handler>` → Handler; `Array<(r: Rec) =>
 * void>` → that function type), and a read takes the fields whose element type is compatible with the type of
 * the container it reads (assignable one way or the other: array covariance and casts may alias them).
 * Containers whose element type is unknown or generic (`any[]`, `T[]`, a Queue<T>) use the untyped field,
 * which every read takes, and reads of unknown type take every field — so nothing is lost, only split.
 * Types are asked lazily: a write's when a function value first arrives at it, reads' when the first typed
 * field appears.
 */
import ts from 'typescript';
import type { FlowGraph } from './flow.js';
import { mentionsTypeParameter, type Typing } from './typing.js';
import { BLOCKING_ITERABLE } from './model.js';

/**
 * The fields keep function values only: a blocking iterable stored in a container (`[q1, q2]`) is found where
 * it is handed on under its own type (collect.ts handOff), and in the shared fields it would reach every
 * `for (const x of items)` over elements of unknown type.
 */
const notIterable = (v: number): boolean => v !== BLOCKING_ITERABLE;

interface Read {
  node: number;
  typeOf: () => ts.Type | undefined;
  /** The container's element type (undefined: unknown). */
  elemType: () => ts.Type | undefined;
  /** Element type once computed; null: unknown (reads every field). */
  type?: ts.Type | null;
}

export class ElementFields {
  /** Writes into containers of unknown element type; every read takes it. */
  readonly untyped: number;
  /** Every field: what a read of unknown type takes. */
  readonly all: number;
  private keys = new Map<ts.Type, number>();
  private reads: Read[] = [];
  /**
   * Blocking iterables stored in a container whose element type is general (`const sources: Iterable<T>[] =
   * [q1, q2]`, `all.push(q)` into one): every read of elements that may be one (`Iterable<T>`, `unknown`, a
   * type parameter) takes them, once the program stores any. Kept apart from the function fields, which would
   * give them to every `for (const x of items)` over elements of any type.
   */
  readonly iterables: number;
  private iterablesStored = false;

  constructor(
    private flow: FlowGraph,
    private checker: ts.TypeChecker,
    private typing: Typing,
    private mayHoldIterable: (t: ts.Type) => boolean,
  ) {
    this.untyped = flow.label(flow.newNode(notIterable), () => 'elements (untyped)');
    this.all = flow.label(flow.newNode(notIterable), () => 'elements (all)');
    flow.addEdge(this.untyped, this.all);
    this.iterables = flow.label(flow.newNode(), () => 'blocking iterables in containers of a general element type');
    flow.onValue(this.iterables, () => {
      if (this.iterablesStored) return;
      this.iterablesStored = true;
      for (const read of this.reads) this.connectIterables(read);
    });
  }

  private connectIterables(read: Read): void {
    const t = read.elemType();
    if (t !== undefined && this.mayHoldIterable(t)) this.flow.addEdge(this.iterables, read.node);
  }

  /** The element type of an array, tuple, Set, Map (its values), queue or iterator; undefined: unknown. */
  elementType(t: ts.Type | undefined): ts.Type | undefined {
    if (t === undefined) return undefined;
    const nn = this.checker.getNonNullableType(t);
    if (nn.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
    const idx = this.checker.getIndexTypeOfType(nn, ts.IndexKind.Number);
    if (idx !== undefined) return idx;
    // Map<K, V>, Set<T>, Queue<T>, Channel<T>, MapIterator<T>, …: the last type argument is what comes out.
    if ((nn as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
      const args = this.checker.getTypeArguments(nn as ts.TypeReference);
      return args[args.length - 1];
    }
    return undefined;
  }

  /** A usable key: a concrete element type (not any, not generic). */
  private keyType(elem: ts.Type | undefined): ts.Type | undefined {
    if (elem === undefined || elem.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
    if (mentionsTypeParameter(this.checker, elem)) return undefined;
    return elem;
  }

  /**
   * A node for what is written into a container of type `containerType()`. `onlyContainers`: the write is an
   * argument of a runtime method (`q.put(x)`, `pool.spawn(fn)`), kept only by objects that have elements —
   * a Group or a Pool calls the function it is given and never hands it back, so storing it in the untyped
   * field would make every `for (const h of handlers) h()` of the program a possible call of it.
   */
  write(containerType: () => ts.Type | undefined, onlyContainers = false): number {
    const w = this.flow.label(this.flow.newNode(notIterable), () => "write into a container");
    let connected = false;
    this.flow.onValue(w, () => {
      if (connected) return;
      connected = true;
      const t = containerType();
      const e = this.elementType(t);
      if (onlyContainers && t !== undefined && e === undefined && !(this.checker.getNonNullableType(t).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return;
      const k = this.keyType(e);
      if (k === undefined) this.flow.addEdge(w, this.untyped);
      else if (this.typing.canHoldFunction(k)) this.flow.addEdge(w, this.field(k));
    });
    return w;
  }

  /** Does a container of type `t` have a usable element type (one of its own field, not the untyped one)? */
  hasKey(t: ts.Type): boolean {
    return this.keyType(this.elementType(t)) !== undefined;
  }

  /** A field of its own (a fresh rest array of unknown element type): only reads of unknown type see it. */
  privateField(): number {
    const n = this.flow.label(this.flow.newNode(notIterable), () => 'elements of a rest parameter');
    this.flow.addEdge(n, this.all);
    return n;
  }

  /** A node for what is read out of a container of type `containerType()`. */
  read(containerType: () => ts.Type | undefined): number {
    let elem: ts.Type | undefined | null = null;
    const elemType = () => (elem === null ? (elem = this.elementType(containerType())) : elem);
    // Typed by the element type too: what the untyped field holds is filtered here, before it reaches a
    // callback's unannotated parameter (whose own type would mean resolving the whole call).
    const r = this.flow.label(this.flow.newNode(this.typing.placeFilter(elemType)), () => "read of elements");
    this.flow.addEdge(this.untyped, r);
    const read: Read = { node: r, typeOf: () => this.keyType(elemType()), elemType };
    this.reads.push(read);
    for (const [t, k] of this.keys) this.connect(read, t, k);
    if (this.iterablesStored) this.connectIterables(read);
    return r;
  }

  private field(t: ts.Type): number {
    let k = this.keys.get(t);
    if (k === undefined) {
      k = this.flow.label(this.flow.newNode(notIterable), () => `elements of ${this.checker.typeToString(t)}`);
      this.keys.set(t, k);
      this.flow.addEdge(k, this.all);
      for (const read of this.reads) this.connect(read, t, k);
    }
    return k;
  }

  private connect(read: Read, t: ts.Type, k: number): void {
    if (read.type === undefined) {
      read.type = read.typeOf() ?? null;
      if (read.type === null) this.flow.addEdge(this.all, read.node);
    }
    if (read.type === null) return;
    if (this.compatible(read.type, t)) this.flow.addEdge(k, read.node);
  }

  /**
   * Assignable one way or the other, member by member of a union: a tuple's element type is the union of its
   * members' (`[['a', (n) => S.A]]` given to `new Map<string, (n: number) => S>` is `string | ((n: number) =>
   * S.A)`), and the function in it is narrower than the read's type while the union as a whole is neither.
   */
  private overlaps(readType: ts.Type, keyType: ts.Type): boolean {
    const reads = readType.isUnion() ? readType.types : [readType];
    const keys = keyType.isUnion() ? keyType.types : [keyType];
    return reads.some((r) =>
      this.typing.canHoldFunction(r) &&
      keys.some((k) => this.typing.canHoldFunction(k) && (this.checker.isTypeAssignableTo(k, r) || this.checker.isTypeAssignableTo(r, k))),
    );
  }

  private compat = new Map<ts.Type, Map<ts.Type, boolean>>();
  private compatible(readType: ts.Type, keyType: ts.Type): boolean {
    let m = this.compat.get(readType);
    if (m === undefined) this.compat.set(readType, (m = new Map()));
    let r = m.get(keyType);
    if (r === undefined) {
      r = readType === keyType || (this.typing.canHoldFunction(readType) && this.overlaps(readType, keyType));
      m.set(keyType, r);
    }
    return r;
  }
}
