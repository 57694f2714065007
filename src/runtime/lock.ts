/**
 * gevent.lock: Semaphore, BoundedSemaphore, Lock and DummySemaphore (RLock is in rlock.ts).
 *
 * Fairness, as in gevent: blocked acquirers are served in the order they blocked. release() wakes the longest
 * waiter, which stays at the head of the queue until it has taken a permit or given up, so a greenlet that is
 * woken but finds the permit gone (a caller that acquired without blocking got there first, as gevent allows)
 * keeps its place. Only the head may take a permit after blocking; whoever leaves the queue while permits are
 * left (took one, timed out, was killed) wakes the next head, so a permit meant for a waiter that died is never
 * lost.
 */
import { GREEN, defineGreenMethods, type Green } from './convention.js';
import { getHub, thrownIn } from './hub.js';
import { describeValue } from './greenlet.js';
import { Linkable, TIMED_OUT, WOKEN, callLink, wakeTimedOut } from './linkable.js';

export interface AcquireOptions {
  /** False: never wait; return false at once if no permit is free. Default true. */
  blocking?: boolean;
  /** Seconds to wait at most (only when blocking); then acquire() returns false. */
  timeout?: number | null;
}

/** What hold() returns: `using _ = sem.hold()` releases at the end of the block. Disposing twice releases once. */
export class Held implements Disposable {
  constructor(private lock: { release(): unknown } | null) {}
  [Symbol.dispose](): void {
    const lock = this.lock;
    if (lock === null) return;
    this.lock = null;
    lock.release();
  }
}

function checkInitial(value: unknown, who: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${who} initial value must be a whole number; got ${describeValue(value)}`);
  }
  if (value < 0) throw new RangeError(`${who} initial value must be >= 0; got ${value}`);
  return value;
}

/**
 * A counter of permits (gevent.lock.Semaphore): acquire() takes one, waiting while there are none; release()
 * gives one back. Any greenlet may release, whether or not it acquired.
 */
export class Semaphore extends Linkable {
  /** @internal */ _counter: number;

  /**
   * Take a permit, waiting for one if needed (unless `blocking: false`), at most `timeout` seconds. True if a
   * permit was taken, false if not (non-blocking and none free, or the timeout passed).
   * @blocking
   */
  declare acquire: (options?: AcquireOptions) => boolean;
  /**
   * Wait until a permit is free (without taking it), at most `timeout` seconds. Returns the counter, which may
   * be 0 if the timeout passed or another greenlet took the permit first.
   * @blocking
   */
  declare wait: (timeout?: number | null) => number;
  /**
   * acquire() and return a Disposable that releases: `using _ = sem.hold();`.
   * @blocking
   */
  declare hold: () => Held;

  constructor(value: number = 1) {
    super();
    this._counter = checkInitial(value, new.target.name);
  }

  /** Permits free now (the initial value, plus releases, minus acquires). */
  get counter(): number {
    return this._counter;
  }

  /** True if acquire() would have to wait. */
  locked(): boolean {
    return this._counter <= 0;
  }

  /** True if a permit is free (the readiness protocol of iwait/wait and rawlink). */
  override ready(): boolean {
    return this._counter > 0;
  }

  /** Give a permit back and wake the longest waiter. Returns the new counter. */
  release(): number {
    this._counter++;
    this._wakeFirst();
    this._scheduleNotify();
    return this._counter;
  }

  /** @internal A hint to the head waiter that a permit may be free; it re-checks when it runs. */
  _wakeFirst(): void {
    const g = this._q.first();
    if (g !== null) getHub().schedule(g, WOKEN);
  }

  /** @internal Callbacks are told only while a permit is free (gevent's only-while-ready notification). */
  override _fireLinks(): void {
    const links = this._links;
    while (links !== null && links.length > 0 && this._counter > 0) callLink(links.shift()!, this);
  }

  /**
   * @internal Block until this greenlet is at the head of the queue with a permit free (true; the permit is
   * taken if `take`), or the timeout passes (false).
   */
  *_waitTurn(timeout: number | null | undefined, take: boolean): Green<boolean> {
    const hub = getHub();
    const cur = hub.current;
    const q = this._q;
    q.push(cur);
    const t = timeout != null ? hub.timers.add(timeout, wakeTimedOut, cur) : null;
    if (hub.monitoring) hub.noteSuspend();
    let turn = false;
    try {
      for (;;) {
        // The first resume wins, as in gevent: once our timer has fired we give up, and the finally below hands
        // a permit that arrived meanwhile to the next waiter.
        if ((yield) === TIMED_OUT) break;
        if (this._counter > 0 && q.first() === cur) {
          if (take) this._counter--;
          turn = true;
          break;
        }
      }
    } catch (e) {
      thrownIn(e);
      throw e;
    } finally {
      if (t !== null) hub.timers.cancel(t);
      q.remove(cur);
      // However we leave (our turn, timeout, kill, plain call), a permit still free must reach the next waiter.
      if (this._counter > 0) this._wakeFirst();
    }
    return turn;
  }

  override toString(): string {
    return `<${this.constructor.name} counter=${this._counter} _links[${this.linkcount()}]>`;
  }
}

defineGreenMethods(Semaphore, {
  *acquire(this: Semaphore, options?: AcquireOptions): Green<boolean> {
    // A free permit is taken at once even if woken waiters have not run yet (gevent does the same).
    if (this._counter > 0) {
      this._counter--;
      return true;
    }
    if (options?.blocking === false) return false;
    return yield* this._waitTurn(options?.timeout, true);
  },
  *wait(this: Semaphore, timeout?: number | null): Green<number> {
    if (this._counter > 0) return this._counter;
    yield* this._waitTurn(timeout, false);
    return this._counter;
  },
  *hold(this: Semaphore): Green<Held> {
    // Through the method, so a subclass's acquire() (Lock, a user's) is the one used.
    yield* (this.acquire as any)[GREEN].call(this);
    return new Held(this);
  },
});

/**
 * A Semaphore that refuses to be released above its initial value (gevent.lock.BoundedSemaphore): an extra
 * release() is a bug, reported at once instead of silently letting one more greenlet in later.
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _initial: number;

  constructor(value: number = 1) {
    super(value);
    this._initial = this._counter;
  }

  override release(): number {
    if (this._counter >= this._initial) throw new Error(this._overReleaseMessage());
    return super.release();
  }

  /** @internal */
  _overReleaseMessage(): string {
    return (
      `${this.constructor.name} released too many times: it is already at its initial value ${this._initial}. ` +
      `Release only what was acquired (pair each acquire() with one release(), or use hold()).`
    );
  }
}

/** A mutex (what gevent's monkey-patched threading.Lock is): a BoundedSemaphore of 1, no owner. */
export class Lock extends BoundedSemaphore {
  constructor() {
    super(1);
  }

  override _overReleaseMessage(): string {
    return 'Lock.release(): the lock is not locked. Release only a lock you acquired (or use hold()).';
  }
}

/**
 * Semaphore's API with an unlimited supply (gevent.lock.DummySemaphore): nothing ever waits. For code that takes
 * "a semaphore" and sometimes needs no limit. Its methods are green too, so green code calls them the same way.
 */
export class DummySemaphore {
  /** Never waits; always true. @blocking */
  declare acquire: (options?: AcquireOptions) => boolean;
  /** Never waits; returns 1. @blocking */
  declare wait: (timeout?: number | null) => number;
  /** Never waits; the Disposable does nothing. @blocking */
  declare hold: () => Held;

  /** Accepts and ignores a value, like gevent's. */
  constructor(_value?: number | null) {}

  locked(): boolean {
    return false;
  }
  ready(): boolean {
    return true;
  }
  release(): void {}

  /** @internal rawlink() callbacks not yet called. */
  _links: ((source: DummySemaphore) => void)[] | null = null;

  /** Always ready, so `callback(this)` is called from the hub soon (gevent's does nothing here, and a wait() on
   * it blocks forever; its source asks whether it should notify: it should, as every ready object does). */
  rawlink(callback: (source: DummySemaphore) => void): void {
    if (typeof callback !== 'function') {
      throw new TypeError(`rawlink() needs a function to call when ready; got ${describeValue(callback)}`);
    }
    if (this._links === null) {
      this._links = [];
      getHub().runCallback(notifyDummyLinks, this);
    }
    this._links.push(callback);
  }
  unlink(callback: (source: DummySemaphore) => void): void {
    const i = this._links?.indexOf(callback) ?? -1;
    if (i >= 0) this._links!.splice(i, 1);
  }

  toString(): string {
    return '<DummySemaphore>';
  }
}

function notifyDummyLinks(d: DummySemaphore): void {
  const links = d._links;
  d._links = null;
  if (links !== null) for (const cb of links) callLink(cb, d);
}

/* eslint-disable require-yield */
defineGreenMethods(DummySemaphore, {
  *acquire(this: DummySemaphore): Green<boolean> {
    return true;
  },
  *wait(this: DummySemaphore): Green<number> {
    return 1;
  },
  *hold(this: DummySemaphore): Green<Held> {
    return new Held(null);
  },
});
/* eslint-enable require-yield */
