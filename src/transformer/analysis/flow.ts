/**
 * The flow graph of function values (Feldthaus et al., ICSE 2013, field-based): nodes are abstract places a
 * function value can be in (a variable, a property *name* across all objects, a function's return, the one
 * shared "element" field of arrays/Maps/Sets, a call's result); edges say "whatever is here may also be there".
 * Values are small integers (the analysis numbers every function-like and every root). Propagation is a
 * worklist over (node, value) pairs, so the cost is linear in edges x values that actually flow; listeners let
 * the call graph grow on the fly (a function reaching a callee binds the call's arguments to its parameters).
 *
 * A node may have a filter: a typed place (a variable whose declared type has no call signatures, a call
 * whose result is a number) refuses function values, which is what keeps the shared element field from
 * spreading every stored function into every `for (const x of xs)`. Filters are asked only when a value
 * actually arrives, so the checker is consulted for the few places function values reach, not for every place.
 */
export type NodeFilter = (value: number) => boolean;

export class FlowGraph {
  private sets: Array<Set<number> | undefined> = [];
  private succ: Array<number[] | undefined> = [];
  private listeners: Array<Array<(value: number) => void> | undefined> = [];
  private filters: Array<NodeFilter | undefined> = [];
  private edgeKeys = new Set<number>();
  private queue: number[] = [];
  private static readonly EMPTY: ReadonlySet<number> = new Set();
  /** Debugging over-greening (GREENLETS_FLOW_TRACE=1): for each (node, value) fact, the node it came from. */
  private origins: Map<string, number> | undefined = process.env.GREENLETS_FLOW_TRACE ? new Map() : undefined;
  private from = -1;

  newNode(filter?: NodeFilter): number {
    this.sets.push(undefined);
    this.succ.push(undefined);
    this.listeners.push(undefined);
    this.filters.push(filter);
    return this.sets.length - 1;
  }

  get size(): number {
    return this.sets.length;
  }

  /** A value that may only be in some nodes (restrict()). */
  private restricted = -1;
  private restrictedTo: (node: number) => boolean = () => true;

  /** `value` gets only into nodes `allowed` accepts, whatever the edges say. */
  restrict(value: number, allowed: (node: number) => boolean): void {
    this.restricted = value;
    this.restrictedTo = allowed;
  }

  addValue(node: number, value: number): void {
    if (node < 0) return;
    let s = this.sets[node];
    if (s !== undefined && s.has(value)) return;
    if (value === this.restricted && !this.restrictedTo(node)) return;
    const filter = this.filters[node];
    if (filter !== undefined && !filter(value)) return;
    if (s === undefined) this.sets[node] = s = new Set();
    s.add(value);
    if (this.origins !== undefined) this.origins.set(`${node}:${value}`, this.from);
    this.queue.push(node, value);
  }

  addEdge(from: number, to: number): void {
    if (from < 0 || to < 0 || from === to) return;
    // Node ids stay far below 2^26, so the pair packs exactly into a double.
    const key = from * 67108864 + to;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    (this.succ[from] ??= []).push(to);
    const s = this.sets[from];
    if (s === undefined) return;
    const before = this.from;
    this.from = from;
    for (const v of s) this.addValue(to, v);
    this.from = before;
  }

  private labels: Map<number, string> | undefined = this.origins && new Map();
  /** With GREENLETS_FLOW_TRACE: name a node for path(). The text is built only when tracing. */
  label(node: number, text: () => string): number {
    this.labels?.set(node, text());
    return node;
  }
  labelOf(node: number): string {
    return this.labels?.get(node) ?? `#${node}`;
  }

  /** With GREENLETS_FLOW_TRACE: the nodes `value` passed through to reach `node`, from where it was put. */
  path(node: number, value: number): number[] {
    const out = [node];
    for (let n = node, i = 0; i < 10000; i++) {
      const o = this.origins?.get(`${n}:${value}`);
      if (o === undefined || o < 0) break;
      out.push((n = o));
    }
    return out;
  }

  /** Call `fn` for every value that reaches `node`, now or later. */
  onValue(node: number, fn: (value: number) => void): void {
    if (node < 0) return;
    (this.listeners[node] ??= []).push(fn);
    const s = this.sets[node];
    if (s !== undefined) for (const v of [...s]) fn(v);
  }

  values(node: number): ReadonlySet<number> {
    return node < 0 ? FlowGraph.EMPTY : (this.sets[node] ?? FlowGraph.EMPTY);
  }

  /** Number of (node, value) facts: the work the propagation did. */
  facts(): number {
    let n = 0;
    for (const s of this.sets) if (s !== undefined) n += s.size;
    return n;
  }

  solve(): void {
    const q = this.queue;
    // A stack, not a FIFO: order does not matter for the fixed point and pop() is O(1).
    while (q.length > 0) {
      const value = q.pop()!;
      const node = q.pop()!;
      const succ = this.succ[node];
      this.from = node;
      if (succ !== undefined) for (let i = 0; i < succ.length; i++) this.addValue(succ[i]!, value);
      this.from = -1;
      const ls = this.listeners[node];
      if (ls !== undefined) for (let i = 0; i < ls.length; i++) ls[i]!(value);
    }
  }
}
