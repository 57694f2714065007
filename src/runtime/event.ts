/**
 * gevent.event: Event (a flag greenlets wait on) and AsyncResult (a one-shot value or error greenlets wait for).
 *
 * Both wake every waiter at once with `hub.schedule(g, WOKEN)` and empty their queue in the same step, so
 * `set(); clear()` still wakes everyone: the waiter learns from its resume value that it was woken, and does not
 * re-check a flag that may already be clear again.
 */
import { defineGreenMethods, type Green } from './convention.js';
import { getHub, type Hub, thrownIn } from './hub.js';
import { LINK_TARGET, type Greenlet, type LinkTarget } from './greenlet.js';
import { SUSPEND, Suspension, constant } from './suspension.js';
import type { TimerEntry } from './timers.js';
import { keepShape } from './shapes.js';
import { Timeout, underTimeout } from './timeout.js';
import { Linkable, TIMED_OUT, WOKEN, wakeTimedOut, yieldTurn } from './linkable.js';

/**
 * Base of Event and AsyncResult: "ready" is sticky until reset, and becoming ready wakes all waiters.
 * Exported only so declaration files can name it.
 */
export abstract class Broadcast extends Linkable {
  /** @internal Woken waiters that have not run yet: a caller finding us ready lets them go first. */
  _woken = 0;

  /** @internal Wake everyone queued now (FIFO) and the rawlink callbacks. */
  _wakeAll(): void {
    const q = this._q;
    if (q.size > 0) {
      const hub = getHub();
      const gs = q.takeAll();
      for (let i = 0; i < gs.length; i++) {
        const g = gs[i];
        if (g === null) continue;
        this._woken++;
        hub.schedule(g, WOKEN);
      }
      // In gevent the waiters are links too, so becoming ready with waiters queues the notification round
      // now, behind them: an iwait/wait that rawlinks this object before that round runs is told in it, ahead
      // of objects whose rounds it queues itself (wait([a_dead, ev]) right after ev.set() yields ev first).
      this._startRound();
    } else {
      this._scheduleNotify();
    }
  }

  /**
   * @internal Block the current greenlet until woken or `timeout` seconds pass. True if woken by the object
   * becoming ready (even if it has been reset since), false if the timeout came first.
   */
  _block(timeout: number | null | undefined): Green<boolean> {
    return new BroadcastWait(this, timeout ?? null).green();
  }

  /** @internal Ready already: run after the waiters that were just woken, then go on. */
  *_afterWoken(hub: Hub): Green<void> {
    if (this._woken > 0) yield* yieldTurn(hub);
  }
}

const WAITED: IteratorReturnResult<boolean> = Object.freeze({ done: true, value: true });
const TIMED_OUT_RESULT: IteratorReturnResult<boolean> = Object.freeze({ done: true, value: false });

/**
 * A greenlet blocked on an Event or AsyncResult: the hand-written generator form (suspension.ts), since 100k of
 * these may be held at once and each costs only this object and its queue slot.
 */
class BroadcastWait extends Suspension<boolean> {
  private cur: Greenlet<any> | null = null;
  private timer: TimerEntry | null = null;
  private timedOut = false;

  constructor(
    private readonly b: Broadcast,
    private readonly timeout: number | null,
  ) {
    super();
  }

  next(v?: unknown): IteratorResult<undefined, boolean> {
    const cur = this.cur;
    const q = this.b._q;
    if (cur === null) {
      const hub = getHub();
      const me = (this.cur = hub.current);
      q.push(me);
      if (this.timeout !== null) this.timer = hub.timers.add(this.timeout, wakeTimedOut, me);
      if (hub.monitoring) hub.noteSuspend();
      return SUSPEND;
    }
    // woken: _wakeAll took us out of the queue; left: our timeout did
    let woken: boolean;
    if (v === WOKEN) {
      woken = true;
      this.b._roundBegins();
    }
    else if (v === TIMED_OUT) {
      // The first resume wins, as in gevent: a set() that comes after our timer fired is too late for us, even
      // if it took us out of the queue before we ran.
      this.timedOut = true;
      woken = !q.remove(cur);
    } else if (!q.has(cur)) woken = true;
    // Any other resume is a stray hint: keep waiting.
    else return SUSPEND;
    this.leave(woken);
    return woken && !this.timedOut ? WAITED : TIMED_OUT_RESULT;
  }

  throw(error: unknown): never {
    thrownIn(error);
    this.throwOut();
    throw error;
  }

  /** Thrown into (kill, Timeout, plain call): leave the queue, unless _wakeAll already took us out. */
  protected override throwOut(): void {
    if (this.cur !== null) this.leave(!this.b._q.remove(this.cur));
  }

  private leave(woken: boolean): void {
    this.cur = null;
    if (this.timer !== null) getHub().timers.cancel(this.timer);
    this.timer = null;
    if (woken) this.b._woken--;
  }
}

/**
 * A flag that greenlets can wait for (gevent.event.Event). `set()` wakes every waiting greenlet, in the order
 * they started waiting; waiting on a set Event returns at once.
 */
export class Event extends Broadcast {
  private _flag = false;

  /**
   * Wait until the flag is set, at most `timeout` seconds. True if it is set on entry or was set while waiting
   * (even if cleared again before this greenlet ran); false only if the timeout passed first.
   * @blocking
   */
  declare wait: (timeout?: number | null) => boolean;

  isSet(): boolean {
    return this._flag;
  }
  /** Same as isSet(): the readiness protocol that iwait/wait use. */
  override ready(): boolean {
    return this._flag;
  }

  /** Set the flag and wake every waiter. Waits that start while it stays set return at once. */
  set(): void {
    this._flag = true;
    this._wakeAll();
  }

  /** Reset the flag: later waits block until the next set(). Waiters already woken still return true. */
  clear(): void {
    this._flag = false;
  }

  override toString(): string {
    return `<Event ${this._flag ? 'set' : 'clear'} _links[${this.linkcount()}]>`;
  }
}

/** Event.wait's generator form: true at once when set (after the waiters just woken, if any), else a wait. */
function eventWait(this: Event, timeout?: number | null): Green<boolean> {
  if (this.isSet()) return this._woken > 0 ? afterWokenTrue(this) : SET_ALREADY;
  return this._block(timeout);
}

const SET_ALREADY = constant(true);

function* afterWokenTrue(ev: Event): Green<boolean> {
  yield* ev._afterWoken(getHub());
  return true;
}

defineGreenMethods(Event, { wait: eventWait as never });

keepShape(new BroadcastWait(keepShape(new Event()), null)); // shapes.ts

const UNSET: unique symbol = Symbol('unset') as never;

export interface GetOptions {
  /** False: do not wait; throw Timeout if no result is there yet. */
  block?: boolean;
  /** Seconds to wait at most before throwing Timeout; or a Timeout (gevent), started around the wait, which
   * raises itself. */
  timeout?: number | null | Timeout;
}

/**
 * A value or an error that will be there later, and that greenlets can wait for (gevent.event.AsyncResult).
 * A link target: `g.link(result)` stores g's value or error in it when g dies. A thenable: `await result`.
 */
export class AsyncResult<T = unknown> extends Broadcast implements LinkTarget, PromiseLike<T> {
  private _value: T | typeof UNSET = UNSET;
  private _exception: unknown = UNSET;
  private _promise: Promise<T> | null = null;

  /**
   * The value once set; otherwise waits (at most `timeout` seconds) and returns it. Throws the error given to
   * setException(); throws Timeout if there is no result with `block: false` or when the timeout passes.
   * @blocking
   */
  declare get: (options?: GetOptions) => T;
  /**
   * Wait until there is a result, at most `timeout` seconds. Returns the value, or undefined if it holds an
   * error or the timeout passed. Never throws the stored error.
   * @blocking
   */
  declare wait: (timeout?: number | null) => T | undefined;

  /** True once set() or setException() was called. */
  override ready(): boolean {
    return this._value !== UNSET || this._exception !== UNSET;
  }
  /** True once it holds a value (set() was called). */
  successful(): boolean {
    return this._value !== UNSET;
  }
  /** The value given to set(), else undefined. */
  get value(): T | undefined {
    return this._value !== UNSET ? this._value : undefined;
  }
  /** The error given to setException(), else undefined. */
  get exception(): unknown {
    return this._exception !== UNSET ? this._exception : undefined;
  }

  /** Store the value and wake every waiter. */
  set(value: T): void {
    this._value = value;
    this._wakeAll();
  }

  /** Store an error that get() will throw, and wake every waiter. */
  setException(error: unknown): void {
    this._exception = error;
    this._wakeAll();
  }

  /** The value now, or the stored error thrown; Timeout if there is no result yet. Never blocks. */
  getNowait(): T {
    if (this._value !== UNSET) return this._value;
    if (this._exception !== UNSET) throw this._exception;
    throw new Timeout(0);
  }

  /** As a link target (`g.link(result)`): copy the dead greenlet's value or error in. */
  [LINK_TARGET](source: Greenlet<any>): void {
    if (source.successful()) this.set(source.value as T);
    else this.setException(source.exception);
  }

  /** `await result` gives the value or rejects with the stored error. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this._promise === null) {
      this._promise = new Promise<T>((resolve, reject) => {
        this.rawlink((r) => (r.successful() ? resolve(r._value as T) : reject(r._exception)));
      });
    }
    return this._promise.then(onfulfilled, onrejected);
  }

  override toString(): string {
    const state = this._value !== UNSET ? `value=${String(this._value)}` : this._exception !== UNSET ? `exception=${String(this._exception)}` : 'unset';
    return `<AsyncResult ${state} _links[${this.linkcount()}]>`;
  }
}

defineGreenMethods(AsyncResult, {
  *get(this: AsyncResult<any>, options?: GetOptions): Green<unknown> {
    if (!this.ready()) {
      if (options?.block === false) throw new Timeout(0);
      const timeout = options?.timeout;
      if (timeout instanceof Timeout) yield* underTimeout(timeout, this._block(null));
      else yield* this._block(timeout);
      if (!this.ready()) throw new Timeout(typeof timeout === 'number' ? timeout : null);
    }
    return this.getNowait();
  },
  *wait(this: AsyncResult<any>, timeout?: number | null): Green<unknown> {
    if (this.ready()) yield* this._afterWoken(getHub());
    else yield* this._block(timeout);
    return this.value;
  },
});
