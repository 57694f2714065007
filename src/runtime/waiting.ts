/**
 * Waiting on many things at once: iwait (completion order), wait, joinall, killall, and waitFor (a promise).
 * Anything with ready()/rawlink()/unlink() (greenlets, Event, AsyncResult) or a then() (promises) can be waited
 * on.
 */
import { GREEN, GREEN_ITERATOR, green, namedFunction, runPlain, type BlockingIterable, type Green, type GreenIterator } from './convention.js';
import { LOOP_FINISHED, getHub, getcurrent, thrownIn } from './hub.js';
import { Greenlet, describeValue, killError, resumeFromLink } from './greenlet.js';
import { InvalidSwitchError } from './errors.js';
import { Timeout } from './timeout.js';
import type { TimerEntry } from './timers.js';
import { keepShape } from './shapes.js';

/** The arrival the timeout timer adds (gevent's timer switches the iterator itself in). */
const TIMED_OUT: unique symbol = Symbol('iwait timed out') as never;

/** Something with gevent's readiness protocol. */
export interface Waitable {
  ready(): boolean;
  rawlink(callback: (source: any) => void): void;
  unlink(callback: (source: any) => void): void;
}

export type WaitObject = Waitable | PromiseLike<unknown>;

function isWaitable(o: unknown): o is Waitable {
  return o !== null && typeof o === 'object' && typeof (o as Waitable).rawlink === 'function';
}

export interface WaitOptions {
  timeout?: number | null;
  count?: number | null;
}

/** Yields the objects as they become ready; ends when all have, after `count` of them, or at `timeout`. */
class IWait<T extends WaitObject> implements BlockingIterable<T> {
  /** Ready objects not yet yielded: done[taken..]. A moving head, since shift() on a long array is O(n) and
   * joinall of 100k greenlets would be quadratic. */
  private done: (T | typeof TIMED_OUT)[] = [];
  private taken = 0;
  private yielded = 0;
  private subscribed = false;
  private finished = false;
  private waiter: Greenlet<any> | null = null;
  private timer: TimerEntry | null = null;
  private readonly limit: number;
  /** rawlinks made, and how many of them have fired (a fired link is gone: close() need not unlink it). */
  private linked = 0;
  private fired = 0;

  constructor(
    private readonly objects: readonly T[],
    private readonly timeout: number | null | undefined,
    count: number | null | undefined,
  ) {
    this.limit = count == null ? objects.length : Math.min(count, objects.length);
  }

  /**
   * The rawlink callback (one function, so unlink finds it). It runs when the hub notifies the links, in order
   * with the object's other links, as gevent's: running it inside the death (faster) would let a waiter resume
   * before links registered earlier, and report a greenlet that died later before one whose notification was
   * still queued.
   */
  private readonly onReady = (source: T): void => {
    this.fired++;
    if (this.finished) return;
    this.done.push(source);
    if (this.waiter === null) return;
    // wait()/joinall() without raiseError show nothing until they return: wake them only for the arrival
    // that ends the wait (one resume for 100k greenlets, not one each).
    if (this.quietCollect && this.yielded + this.done.length - this.taken < this.limit) return;
    resumeFromLink(getHub(), this.waiter);
  };
  /** Collecting for wait()/joinall() with no per-object check. */
  private quietCollect = false;

  /** A promise settled (a microtask, not the hub): the waiter is queued. */
  private arrive(source: T): void {
    if (this.finished) return;
    this.done.push(source);
    if (this.waiter !== null) getHub().schedule(this.waiter);
  }

  /**
   * Link every object. As in gevent, an object that is ready already is linked too, not taken at once: its
   * rawlink fires from the hub, in the order of the notification rounds — a greenlet whose death is being
   * notified now (links pending, or the round running) comes before ones that died long ago, which get a round
   * each in input order. Plain iteration (`[...iwait(xs)]` outside green code) cannot wait for the hub, so there
   * the ready objects are taken at once, in input order.
   */
  private subscribe(plain: boolean): void {
    this.subscribed = true;
    // Check everything before linking anything, so a bad object leaves no links behind on the good ones.
    for (const o of this.objects) {
      if (!isWaitable(o) && !(o !== null && typeof (o as PromiseLike<unknown>)?.then === 'function')) {
        this.finished = true;
        throw new TypeError(
          `iwait/wait can wait on greenlets, events, AsyncResults and promises; got ${describeValue(o)}`,
        );
      }
    }
    const objects = this.objects;
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      if (o instanceof Greenlet) {
        // the common case (joinall), without the protocol's method lookups
        if (plain && o.dead) this.done.push(o);
        else {
          o.rawlink(this.onReady as (s: any) => void);
          this.linked++;
        }
      } else if (isWaitable(o)) {
        if (plain && o.ready()) this.done.push(o);
        else {
          o.rawlink(this.onReady as (s: any) => void);
          this.linked++;
        }
      } else if (o !== null && typeof (o as PromiseLike<unknown>).then === 'function') {
        const settle = () => this.arrive(o);
        (o as PromiseLike<unknown>).then(settle, settle);
      } else {
        throw new TypeError(`iwait/wait can wait on greenlets, events, AsyncResults and promises; got ${String(o)}`);
      }
    }
    if (this.timeout != null) {
      // gevent's timer is one more arrival: what became ready before it is still yielded, even to an iteration
      // that was busy elsewhere when the time ran out.
      this.timer = getHub().timers.add(this.timeout, () => {
        this.timer = null;
        if (this.finished) return;
        this.done.push(TIMED_OUT);
        if (this.waiter !== null) getHub().schedule(this.waiter);
      });
    }
  }

  *step(plain = false): Green<IteratorResult<T, undefined>> {
    if (!this.subscribed) this.subscribe(plain);
    for (;;) {
      if (this.finished || this.yielded >= this.limit) {
        this.close();
        return { done: true, value: undefined };
      }
      if (this.taken < this.done.length) {
        const value = this.done[this.taken];
        (this.done as unknown[])[this.taken++] = undefined;
        if (this.taken === this.done.length) {
          this.done = [];
          this.taken = 0;
        }
        if (value === TIMED_OUT) {
          this.close();
          return { done: true, value: undefined };
        }
        this.yielded++;
        return { done: false, value };
      }
      const hub = getHub();
      this.waiter = hub.current;
      if (hub.monitoring) hub.noteSuspend();
      try {
        yield;
      } catch (e) {
        thrownIn(e);
        throw e;
      } finally {
        this.waiter = null;
      }
    }
  }

  /**
   * wait() and joinall(): collect into `out` everything the iteration would yield, without a step (and its
   * result object) per element. `check` sees each object before it is added and may throw to end the wait
   * (joinall's raiseError). However the wait ends (done, timeout, an error thrown in), the links are removed.
   */
  *collect(out: T[], check?: (o: T) => void, plain = false): Green<T[]> {
    this.quietCollect = check === undefined;
    try {
      if (!this.subscribed) this.subscribe(plain);
      for (;;) {
        const done = this.done as unknown[];
        while (this.taken < done.length && this.yielded < this.limit) {
          const o = done[this.taken] as T | typeof TIMED_OUT;
          done[this.taken++] = undefined;
          if (o === TIMED_OUT) return out;
          this.yielded++;
          if (check !== undefined) check(o);
          out.push(o);
        }
        if (this.taken === done.length) {
          this.done = [];
          this.taken = 0;
        }
        if (this.finished || this.yielded >= this.limit) return out;
        const hub = getHub();
        this.waiter = hub.current;
        if (hub.monitoring) hub.noteSuspend();
        try {
          yield;
        } catch (e) {
          thrownIn(e);
          throw e;
        } finally {
          this.waiter = null;
        }
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== null) getHub().timers.cancel(this.timer);
    this.timer = null;
    // Every link that fired has removed itself: with all of them fired there is nothing to unlink.
    if (this.fired < this.linked) {
      for (const o of this.objects) if (isWaitable(o)) o.unlink(this.onReady as (s: any) => void);
    }
  }

  [GREEN_ITERATOR](): GreenIterator<T> {
    return { next: () => this.step(), return: () => this.close() };
  }

  [Symbol.iterator](): Iterator<T> {
    return {
      next: () => runPlain(this.step(true), 'iwait'),
      return: () => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }
}

keepShape(new IWait([], null, null)); // shapes.ts

/**
 * Iterate `objects` in the order they become ready (gevent.iwait).
 * @blocking
 */
export function iwait<T extends WaitObject>(objects: Iterable<T>, options: WaitOptions = {}): BlockingIterable<T> {
  return new IWait([...objects], options.timeout, options.count);
}

function* waitGen(objects?: Iterable<WaitObject> | null, options: WaitOptions = {}): Green<WaitObject[] | boolean> {
  if (objects == null) return yield* joinLoop(options.timeout);
  return yield* new IWait([...objects], options.timeout, options.count).collect([]);
}

function* waitPlain(objects?: Iterable<WaitObject> | null, options: WaitOptions = {}): Green<WaitObject[] | boolean> {
  if (objects == null) return yield* joinLoop(options.timeout);
  return yield* new IWait([...objects], options.timeout, options.count).collect([], undefined, true);
}

/** Resume value of the main greenlet waiting in joinLoop when its timeout passed. */
const JOIN_TIMED_OUT: unique symbol = Symbol('wait() timed out') as never;

/**
 * wait() with no objects (gevent's hub.join): the main greenlet waits until the loop has nothing left to do —
 * the moment it would otherwise get LoopExit: no greenlet ready, no hub timer, no handle of Node's holding the
 * process — and gets true; false if `timeout` seconds pass first. Greenlets blocked forever (on an Event nobody
 * sets) do not keep it waiting, as in gevent. The timeout's timer does not hold the process (gevent's ref=False).
 */
function* joinLoop(timeout: number | null | undefined): Green<boolean> {
  const hub = getHub();
  const main = hub.main;
  if (hub.current !== main) {
    throw new InvalidSwitchError(
      `wait() with no objects waits for the whole loop to finish, which only the main greenlet can do (gevent: ` +
        `"only possible from the MAIN greenlet"); ${hub.current.name} called it: pass the objects to wait for`,
    );
  }
  const timer = timeout != null ? setTimeout(() => hub.schedule(main, JOIN_TIMED_OUT), Math.max(0, timeout * 1000)) : null;
  timer?.unref();
  hub._loopJoiner = true;
  if (hub.monitoring) hub.noteSuspend();
  try {
    for (;;) {
      const v: unknown = yield;
      if (v === LOOP_FINISHED) return true;
      if (v === JOIN_TIMED_OUT) return false;
      // any other resume is a stray hint: keep waiting
    }
  } finally {
    hub._loopJoiner = false;
    if (timer !== null) clearTimeout(timer);
  }
}

/** A blocking function whose plain form (called outside green code) runs `plainForm` instead of `form`. */
function blockingWithPlainForm<F>(name: string, form: (...args: any[]) => Green<unknown>, plainForm: (...args: any[]) => Green<unknown>): F {
  const f = namedFunction(name, form.length, (self, args) => runPlain(plainForm.apply(self, args as never), name));
  (f as any)[GREEN] = form;
  return f as F;
}

/**
 * Wait for `objects` to be ready and return those that are, in completion order (an object ready already is
 * reported from the hub, as gevent's rawlink does: see IWait.subscribe). With no objects, wait (main greenlet
 * only) until the loop has nothing left to do and return true, or false if `timeout` passed first (gevent's
 * hub.join).
 * @blocking
 */
export const wait: {
  (objects?: null, options?: WaitOptions): boolean;
  <T extends WaitObject>(objects: Iterable<T>, options?: WaitOptions): T[];
} = blockingWithPlainForm('wait', waitGen, waitPlain);

export interface JoinallOptions extends WaitOptions {
  /** Raise the first failure as soon as it happens (the others keep running). */
  raiseError?: boolean;
}

/**
 * Wait for the greenlets to finish; returns the finished ones in completion order.
 * @blocking
 */
export const joinall: <T extends Greenlet<any>>(greenlets: Iterable<T>, options?: JoinallOptions) => T[] =
  blockingWithPlainForm('joinall', joinallGen(false), joinallGen(true));

function joinallGen(plain: boolean) {
  return function* joinall(greenlets: Iterable<Greenlet<any>>, options: JoinallOptions = {}): Green<Greenlet<any>[]> {
    const it = new IWait([...greenlets], options.timeout, options.count);
    return yield* it.collect([], options.raiseError ? raiseFailure : undefined, plain);
  };
}

function raiseFailure(g: Greenlet<any>): void {
  if (!g.successful()) throw g.exception;
}

export interface KillOptions {
  exception?: unknown;
  block?: boolean;
  timeout?: number | null;
}

/**
 * Kill every greenlet (GreenletExit by default); with `block` (default) wait until all have died, raising
 * Timeout if `timeout` passes first.
 * @blocking
 */
export const killall: (greenlets: Iterable<Greenlet<any>>, options?: KillOptions) => void = green(function* killall(
  greenlets: Iterable<Greenlet<any>>,
  options: KillOptions = {},
) {
  const gs = [...greenlets];
  const me = getcurrent();
  for (const g of gs) {
    if (g.dead || g === me) continue;
    runPlain((g.kill as any)[GREEN].call(g, { exception: killError(options.exception), block: false }), 'kill');
  }
  if (options.block === false) return;
  const alive = gs.filter((g) => !g.dead && g !== me);
  if (alive.length === 0) return;
  const t = Timeout.startNew(options.timeout ?? null);
  try {
    yield* waitGen(alive);
  } finally {
    t.cancel();
  }
});

/** Kill without waiting (gevent.kill): the error is raised in `greenlet` when it next runs. */
export function kill(greenlet: Greenlet<any>, exception?: unknown): void {
  runPlain((greenlet.kill as any)[GREEN].call(greenlet, { exception, block: false }), 'kill');
}

/**
 * Suspend until `promise` settles and return its value (a rejection is thrown): the bridge from promise-based
 * libraries to blocking style. With `timeout`, throws Timeout after that many seconds.
 * @blocking
 */
export const waitFor: <T>(promise: PromiseLike<T> | T, timeout?: number | null) => T = green(function* waitFor(
  promise: unknown,
  timeout?: number | null,
): Green<unknown> {
  if (promise === null || (typeof promise !== 'object' && typeof promise !== 'function')) return promise;
  const then = (promise as PromiseLike<unknown>).then;
  if (typeof then !== 'function') return promise;
  const hub = getHub();
  const cur = hub.current;
  let state = 0;
  let result: unknown;
  let active = true;
  then.call(
    promise,
    (v: unknown) => {
      if (!active) return;
      state = 1;
      result = v;
      hub.schedule(cur);
    },
    (e: unknown) => {
      if (!active) return;
      state = 2;
      result = e;
      hub.schedule(cur);
    },
  );
  const t = timeout != null ? Timeout.startNew(timeout) : null;
  if (hub.monitoring) hub.noteSuspend();
  try {
    while (state === 0) yield;
  } catch (e) {
    thrownIn(e);
    throw e;
  } finally {
    active = false;
    t?.cancel();
  }
  if (state === 2) throw result;
  return result;
} as never);

export interface WithTimeoutOptions<D> {
  /** Returned instead of throwing Timeout when the time runs out. */
  timeoutValue?: D;
}

/**
 * Run `fn()` with a time limit of `seconds`; throws Timeout, or returns `timeoutValue` if that option is given.
 * @blocking
 */
export const withTimeout: <T, D = never>(
  seconds: number | null,
  fn: () => T,
  options?: WithTimeoutOptions<D>,
) => T | D = green(function* withTimeout(
  seconds: number | null,
  fn: () => unknown,
  options?: WithTimeoutOptions<unknown>,
): Green<unknown> {
  if (typeof fn !== 'function') throw new TypeError(`withTimeout(seconds, fn) needs a function; got ${describeValue(fn)}`);
  const t = Timeout.startNew(seconds);
  try {
    const g = (fn as any)[GREEN];
    return g !== undefined ? yield* g.call(undefined) : fn();
  } catch (e) {
    if (e === t && options !== undefined && 'timeoutValue' in options) return options.timeoutValue;
    throw e;
  } finally {
    t.cancel();
  }
} as never);
