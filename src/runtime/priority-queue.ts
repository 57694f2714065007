/**
 * PriorityQueue (gevent.queue.PriorityQueue): a Queue whose store is a binary min-heap, so get() returns the
 * smallest item. The heap moves follow Python's heapq (sift the new item up on push; on pop, move the last item
 * to the root, walk the hole down to a leaf along the smaller children, then sift up), so items that compare
 * equal come out in the same order as in gevent.
 */
import { Queue, type QueueOptions } from './queue.js';
import { naturalCompare } from './queue-compare.js';
import { describeValue } from './greenlet.js';

export { naturalCompare };

export interface PriorityQueueOptions<T> extends QueueOptions<T> {
  /** The order: negative if `a` comes out before `b`. Default: Python's `<` (naturalCompare). */
  compare?: (a: T, b: T) => number;
}

export class PriorityQueue<T = unknown> extends Queue<T> {
  declare private _heap: T[];
  declare private _cmp: (a: T, b: T) => number;

  constructor(maxsize?: number | null, options?: PriorityQueueOptions<T>) {
    super(maxsize, options);
  }

  protected override _init(options: PriorityQueueOptions<T> | undefined): void {
    const cmp = options?.compare ?? naturalCompare;
    if (typeof cmp !== 'function') {
      throw new TypeError(`PriorityQueue: compare must be a function (a, b) => number; got ${describeValue(cmp)}`);
    }
    this._cmp = cmp;
    const h: T[] = options?.items !== undefined ? [...options.items] : [];
    this._heap = h;
    for (let i = (h.length >> 1) - 1; i >= 0; i--) this._siftDown(i, h.length, h[i]);
  }

  protected override _put(item: T): void {
    const h = this._heap;
    const cmp = this._cmp;
    // Find the new item's place first and move nothing until then: if the order throws (an item it cannot
    // compare), the heap is left exactly as it was.
    let pos = h.length;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!(cmp(item, h[parent]) < 0)) break;
      pos = parent;
    }
    h.push(item);
    for (let i = h.length - 1; i > pos; ) {
      const parent = (i - 1) >> 1;
      h[i] = h[parent];
      i = parent;
    }
    h[pos] = item;
  }

  protected override _get(): T {
    const h = this._heap;
    const last = h.length - 1;
    if (last === 0) return h.pop() as T;
    // The last item refills the root; the heap without the last slot is re-ordered, then the slot dropped.
    const top = this._siftDown(0, last, h[last]);
    h.pop();
    return top;
  }

  protected override _peek(): T {
    return this._heap[0];
  }

  override qsize(): number {
    return this._heap.length;
  }

  /**
   * Place `item` in the subtree at `start` of the heap's first `end` slots, replacing the item there, which is
   * returned (heapq's _siftup: walk down to a leaf along the smaller children, then back up to where `item`
   * belongs). Every comparison is made before anything moves, so a throwing order leaves the heap intact.
   */
  private _siftDown(start: number, end: number, item: T): T {
    const h = this._heap;
    const cmp = this._cmp;
    let pos = start;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(cmp(h[child], h[right]) < 0)) child = right;
      pos = child;
      child = 2 * pos + 1;
    }
    while (pos > start && cmp(item, h[pos]) < 0) pos = (pos - 1) >> 1;
    // Rotate along the path: `item` lands at pos, each item above it moves up one level, h[start] comes out.
    let carry = item;
    for (;;) {
      const displaced = h[pos];
      h[pos] = carry;
      carry = displaced;
      if (pos === start) return carry;
      pos = (pos - 1) >> 1;
    }
  }
}
