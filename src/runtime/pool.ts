/**
 * Pool (gevent.pool.Pool): a Group that holds at most `maxsize` greenlets; add/start/spawn wait for a free
 * slot. A slot is membership itself: it is taken when a greenlet is added and given back when it leaves (dies
 * or is discarded), so the count can never drift from the members.
 */
import { defineGreenMethods } from './convention.js';
import type { Greenlet } from './greenlet.js';
import { Group, type AddOptions, type GreenletClass } from './group.js';
import { WaitList } from './poolwaiters.js';

/** Raised by Pool.add/start when no slot is free: at once with `blocking: false`, or after `timeout`. */
export class PoolFull extends Error {
  constructor(message = 'the pool is full') {
    super(message);
    this.name = 'PoolFull';
  }
}

export class Pool extends Group {
  /** The most greenlets the pool holds at once; null for no limit (gevent's Pool.size). */
  readonly maxsize: number | null;
  /** @internal Greenlets waiting for a slot (add/start/spawn) or for one to exist (waitAvailable). */
  readonly _slots = new WaitList();

  /**
   * `size`: the most greenlets that may run in the pool at once; omitted or null for no limit. 0 makes a pool
   * that is always full (useful only with waitAvailable(timeout) and freeCount()).
   */
  constructor(size?: number | null, greenletClass?: GreenletClass) {
    super();
    if (size != null) {
      if (typeof size !== 'number' || Number.isNaN(size)) {
        throw new TypeError(`Pool size must be a number, or null for no limit; got ${String(size)}`);
      }
      if (size < 0) throw new RangeError(`Pool size must not be negative; got ${size}. Use null for no limit.`);
    }
    this.maxsize = size ?? null;
    if (greenletClass !== undefined) this.greenletClass = greenletClass;
  }

  /** Roughly how many more greenlets can be added without blocking (1 for a pool without limit, as gevent). */
  freeCount(): number {
    if (this.maxsize === null) return 1;
    return Math.max(0, this.maxsize - this._members.size);
  }

  /** Whether add()/spawn() would block now. */
  override full(): boolean {
    return this.freeCount() <= 0;
  }

  override toString(): string {
    return `<Pool of ${this._members.size}/${this.maxsize ?? 'unlimited'} greenlets>`;
  }

  /** @internal A member left: its slot goes to the first waiter(s). */
  override _left(): void {
    if (this._slots.length > 0) this._slots.wake(this.freeCount());
  }

  /**
   * Wait until a slot is free, at most `timeout` seconds; returns how many are free then (0 after a timeout).
   * Does not take the slot: another greenlet may take it before this one spawns.
   * @blocking
   */
  declare waitAvailable: (timeout?: number | null) => number;
}

function poolFull(pool: Pool, options: AddOptions | undefined, timedOut: boolean): PoolFull {
  const what = `${pool} has no free slot`;
  if (timedOut) return new PoolFull(`${what} after waiting ${options?.timeout} seconds; wait longer, or use a bigger pool`);
  return new PoolFull(`${what} and add() was called with blocking: false; wait with waitAvailable() or blocking: true`);
}

defineGreenMethods(Pool, {
  *add(this: Pool, greenlet: Greenlet<any>, options?: AddOptions) {
    if (this._members.has(greenlet)) return;
    const take = (): boolean => {
      if (this.maxsize !== null && this._members.size >= this.maxsize) return false;
      this._track(greenlet);
      return true;
    };
    if (take()) return;
    if (options?.blocking === false) throw poolFull(this, options, false);
    if (!(yield* this._slots.waitUntil(take, options?.timeout, () => this.freeCount()))) {
      throw poolFull(this, options, true);
    }
  },

  *waitAvailable(this: Pool, timeout?: number | null) {
    if (this.maxsize === null) return 1;
    yield* this._slots.waitUntil(() => this.freeCount() > 0, timeout, () => this.freeCount());
    return this.freeCount();
  },
});

// Group's start() and spawn() reach add() through the prototype, so in a Pool they wait for a slot too.
