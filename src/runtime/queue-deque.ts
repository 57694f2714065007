/**
 * A double-ended queue on a power-of-two ring buffer: the item store of Queue and Channel and the waiter lists
 * of every queue. push/shift/pop/unshift are O(1) and allocate nothing once the buffer has grown to its working
 * size (an Array's shift() is O(n) and its growth pattern would leave holes), which keeps the queue ping-pong
 * path allocation-free.
 */
/**
 * A slot array in the one elements kind every deque ends up in (holey, any value): `new Array(n)` starts as
 * holey small integers and moves to another kind on the first object, double or `undefined` stored, so deques of
 * greenlets, of numbers and of objects would each have their own, and every function that serves more than one
 * (a queue's items and its waiter lists) would deoptimise on the "wrong map" and run polymorphic.
 */
function slots<T>(n: number): (T | undefined)[] {
  return new Array<T | undefined>(n).fill(undefined);
}

export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private n = 0;

  constructor(items?: Iterable<T>) {
    this.buf = slots(8);
    if (items !== undefined) for (const x of items) this.push(x);
  }

  get length(): number {
    return this.n;
  }

  push(x: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = x;
    this.n++;
  }

  unshift(x: T): void {
    if (this.n === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = x;
    this.n++;
  }

  /** Remove and return the first item; undefined when empty. */
  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const buf = this.buf;
    const x = buf[this.head];
    buf[this.head] = undefined; // drop the reference so a taken item can be collected
    this.head = (this.head + 1) & (buf.length - 1);
    this.n--;
    return x;
  }

  /** Remove and return the last item; undefined when empty. */
  pop(): T | undefined {
    if (this.n === 0) return undefined;
    const buf = this.buf;
    const i = (this.head + this.n - 1) & (buf.length - 1);
    const x = buf[i];
    buf[i] = undefined;
    this.n--;
    return x;
  }

  first(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  last(): T | undefined {
    return this.n === 0 ? undefined : this.buf[(this.head + this.n - 1) & (this.buf.length - 1)];
  }

  /** The item at position `i` from the front (0 = first). */
  at(i: number): T | undefined {
    return i >= 0 && i < this.n ? this.buf[(this.head + i) & (this.buf.length - 1)] : undefined;
  }

  indexOf(x: T): number {
    const buf = this.buf;
    const mask = buf.length - 1;
    for (let i = 0; i < this.n; i++) if (buf[(this.head + i) & mask] === x) return i;
    return -1;
  }

  /** Remove the item at position `i`, keeping the order of the others. O(n): only waiters that leave early
   * (timeout, kill) take this path. */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const buf = this.buf;
    const mask = buf.length - 1;
    const x = buf[(this.head + i) & mask];
    for (let j = i; j < this.n - 1; j++) buf[(this.head + j) & mask] = buf[(this.head + j + 1) & mask];
    buf[(this.head + this.n - 1) & mask] = undefined;
    this.n--;
    return x;
  }

  lastIndexOf(x: T): number {
    const buf = this.buf;
    const mask = buf.length - 1;
    for (let i = this.n - 1; i >= 0; i--) if (buf[(this.head + i) & mask] === x) return i;
    return -1;
  }

  /** Remove the last occurrence of `x` (the newest registration of a waiter); false if it was not there. */
  removeLast(x: T): boolean {
    const i = this.lastIndexOf(x);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  clear(): void {
    this.buf = slots(8);
    this.head = 0;
    this.n = 0;
  }

  toArray(): T[] {
    const out = new Array<T>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.buf[(this.head + i) & (this.buf.length - 1)] as T;
    return out;
  }

  private grow(): void {
    const old = this.buf;
    const next = slots<T>(old.length * 2);
    for (let i = 0; i < this.n; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
