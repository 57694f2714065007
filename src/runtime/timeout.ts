/**
 * Timeout (gevent.Timeout): raised in the greenlet that started it, at that greenlet's next suspension point;
 * the same instance is thrown, so `catch (e) { if (e === t) ... }` tells one's own timeout from an outer one.
 * CPU-bound code is never interrupted: a greenlet is only ever resumed at a suspension.
 */
import type { Green } from './convention.js';
import { getHub, getcurrent } from './hub.js';
import type { Greenlet } from './greenlet.js';
import type { TimerEntry } from './timers.js';

function describe(seconds: number | null | undefined, exception: unknown): string {
  if (seconds === null || seconds === undefined) return ''; // gevent's str(Timeout()) is empty too
  const base = `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (exception === undefined || exception === null) return base;
  if (exception === false) return `${base} (silent)`;
  const what = typeof exception === 'function' ? exception.name : String(exception);
  return `${base}: ${what}`;
}

export class Timeout extends Error {
  readonly seconds: number | null;
  /** What is raised when it fires instead of the Timeout itself: an error, an error class, or `false` for
   * "silent" (withTimeout then returns its timeoutValue). */
  readonly exception: unknown;
  private _timer: TimerEntry | null = null;
  private _target: Greenlet<any> | null = null;

  constructor(seconds?: number | null, exception?: unknown) {
    // A Timeout is created on every withTimeout call; its stack would name the constructor, not where it is
    // raised, so skip the ~1.5 us capture.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(describe(seconds, exception));
    Error.stackTraceLimit = limit;
    if (seconds !== undefined && seconds !== null && (typeof seconds !== 'number' || Number.isNaN(seconds))) {
      throw new TypeError(`Timeout seconds must be a number or null; got ${String(seconds)}`);
    }
    this.name = 'Timeout';
    this.seconds = seconds ?? null;
    this.exception = exception;
  }

  /** Start a new Timeout (or start `seconds` itself if it is a Timeout that is not pending). Called on a
   * subclass (`TooLong.startNew(1)`), it builds that subclass, as gevent's classmethod does. */
  static startNew<T extends Timeout>(
    this: new (seconds?: number | null, exception?: unknown) => T,
    seconds?: number | null | Timeout,
    exception?: unknown,
  ): T {
    if (seconds instanceof Timeout) {
      if (!seconds.pending) seconds.start();
      return seconds as T;
    }
    const t = new this(seconds, exception);
    t.start();
    return t;
  }

  /** True while started and neither fired nor cancelled. */
  get pending(): boolean {
    return this._timer !== null;
  }

  start(): this {
    if (this._timer !== null) throw new Error(`${this} is already started; cancel it before starting it again`);
    if (this.seconds === null) return this;
    this._target = getcurrent();
    this._timer = getHub().timers.add(this.seconds, fire, this);
    return this;
  }

  cancel(): void {
    if (this._timer !== null) {
      getHub().timers.cancel(this._timer);
      this._timer = null;
    }
    this._target = null;
  }

  close(): void {
    this.cancel();
  }

  [Symbol.dispose](): void {
    this.cancel();
  }

  /** What the greenlet sees when this fires. */
  errorToRaise(): unknown {
    const e = this.exception;
    // false ("silent") and a string (gevent: only changes the message) raise the Timeout itself.
    if (e === undefined || e === null || e === false || typeof e === 'string') return this;
    if (typeof e === 'function') return new (e as new () => unknown)();
    return e;
  }

  override toString(): string {
    return `Timeout: ${this.message}`;
  }
}

/**
 * gevent's `get(timeout=Timeout(...))`: a Timeout given as a call's timeout is started around the wait (unless
 * it is already pending), raises itself if it fires first, and is cancelled when the call ends either way.
 */
export function* underTimeout<T>(t: Timeout, body: Green<T>): Green<T> {
  if (!t.pending) t.start();
  try {
    return yield* body;
  } finally {
    t.cancel();
  }
}

function fire(t: Timeout): void {
  const target = (t as any)._target as Greenlet<any> | null;
  (t as any)._timer = null;
  (t as any)._target = null;
  if (target === null || target.dead) return;
  // Only a greenlet that is suspended (or queued to resume) can receive it; a main greenlet running plain
  // top-level code has no suspension point, so the timeout has nothing to interrupt.
  if (target._gen === null) return;
  getHub().scheduleThrow(target, t.errorToRaise());
}
