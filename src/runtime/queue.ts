/**
 * greenlets/queue: gevent.queue's Queue (joinable, with Python 3.13's shutdown), SimpleQueue, JoinableQueue,
 * LifoQueue; PriorityQueue and Channel live beside it (priority-queue.ts, channel.ts).
 *
 * The item store is reached only through `_init/_put/_get/_peek/qsize`, the "bottleneck" methods of Python's
 * queue classes, so LifoQueue and PriorityQueue (and user subclasses) change the order by overriding them.
 * Blocked getters and putters wait in FIFO lists of greenlets; see queue-waiters.ts for the wake-up protocol.
 * The ping-pong path (put wakes a waiting getter, get takes the item) allocates nothing beyond the generator of
 * the call itself.
 */
import { GREEN, GREEN_ITERATOR, defineGreenMethods, runPlain, type BlockingIterable, type Green, type GreenIterator } from './convention.js';
import { getHub, RESUME_NONE, type Hub, thrownIn } from './hub.js';
import type { Greenlet } from './greenlet.js';
import { Deque } from './queue-deque.js';
import { Empty, Full, ShutDown } from './queue-errors.js';
import { Timeout, underTimeout } from './timeout.js';
import { NOTHING, SUSPEND, Suspension, ready } from './suspension.js';
import type { TimerEntry } from './timers.js';
import { keepShape } from './shapes.js';
import {
  WOKEN,
  expired,
  requeueFront,
  secondsText,
  startTimer,
  timeoutSeconds,
  wakeAll,
  type WaiterList,
} from './queue-waiters.js';

export { Empty, Full, ShutDown };

export interface QueueOptions<T> {
  /** Initial contents (gevent's `items`); each counts as an unfinished task unless `unfinishedTasks` is given. */
  items?: Iterable<T>;
  /** The initial count of unfinished tasks (gevent's JoinableQueue `unfinished_tasks`). */
  unfinishedTasks?: number;
}

export interface PutOptions {
  /** false: never wait; throw Full at once if there is no free slot. */
  block?: boolean;
  /** Seconds to wait for a free slot before throwing Full; null or omitted waits as long as it takes. A Timeout
   * instead (gevent) is started around the wait and raises itself. */
  timeout?: number | null | Timeout;
}

export interface GetOptions {
  /** false: never wait; throw Empty at once if there is no item. */
  block?: boolean;
  /** Seconds to wait for an item before throwing Empty; null or omitted waits as long as it takes. A Timeout
   * instead (gevent) is started around the wait and raises itself. */
  timeout?: number | null | Timeout;
}

export interface ShutdownOptions {
  /** Also discard the items still queued (each counted as a finished task), so get() raises at once. */
  immediate?: boolean;
}

function maxsizeOf(maxsize: unknown, who: string): number {
  if (maxsize === undefined || maxsize === null) return Infinity;
  if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) {
    throw new TypeError(`${who}: maxsize must be a number (0 or omitted for an unbounded queue); got ${String(maxsize)}`);
  }
  // gevent: "If maxsize is less than or equal to zero or None, the queue size is infinite."
  return maxsize <= 0 ? Infinity : maxsize;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A FIFO queue of items shared by greenlets (gevent.queue.Queue, which is also its JoinableQueue here):
 * `new Queue<T>(maxsize?)`, unbounded when maxsize is omitted or 0. Iterating it in green code gets items until
 * the queue is shut down and empty.
 */
export class Queue<T = unknown> implements BlockingIterable<T> {
  /** @internal */ _maxsize: number;
  /** @internal */ _getters: WaiterList = new Deque();
  /** @internal */ _putters: WaiterList = new Deque();
  /** @internal */ _joiners: WaiterList | null = null;
  /** @internal */ _unfinished = 0;
  /** @internal */ _shut = false;
  /** @internal A finished get() wait, kept for the next one (QueueWait). */
  _spare: QueueWait | null = null;
  /** The FIFO store of the base class; subclasses that override `_init` keep their own. */
  declare protected _items: Deque<T>;

  constructor(maxsize?: number | null, options?: QueueOptions<T>) {
    this._maxsize = maxsizeOf(maxsize, `new ${new.target.name}()`);
    this._init(options);
    const given = options?.unfinishedTasks;
    if (given !== undefined && (!Number.isInteger(given) || given < 0)) {
      throw new RangeError(`${new.target.name}: unfinishedTasks must be a non-negative integer; got ${given}`);
    }
    this._unfinished = given ?? this.qsize();
  }

  // ---- the store (Python's bottleneck methods): override all of them to change the order ----------------

  /** Create the store from `options.items`. Called once, from the constructor. */
  protected _init(options: QueueOptions<T> | undefined): void {
    this._items = new Deque(options?.items);
  }
  /** Add an item to the store. */
  protected _put(item: T): void {
    this._items.push(item);
  }
  /** Remove and return the next item; only called when qsize() > 0. */
  protected _get(): T {
    return this._items.shift() as T;
  }
  /** The next item, left in place; only called when qsize() > 0. */
  protected _peek(): T {
    return this._items.first() as T;
  }
  /** How many items are queued. */
  qsize(): number {
    return this._items.length;
  }

  // ---- state -------------------------------------------------------------------------------------------

  empty(): boolean {
    return this.qsize() === 0;
  }
  /** True when a put() would have to wait; an unbounded queue is never full. */
  full(): boolean {
    return this.qsize() >= this._maxsize;
  }
  /** The bound on the number of items, or null when unbounded. Raising it lets waiting putters in. */
  get maxsize(): number | null {
    return this._maxsize === Infinity ? null : this._maxsize;
  }
  set maxsize(value: number | null) {
    this._maxsize = maxsizeOf(value, `${this.constructor.name}.maxsize`);
    if (this._putters.length > 0) this._scheduleUnlock();
  }
  /** Items put and not yet marked done with taskDone(). */
  get unfinishedTasks(): number {
    return this._unfinished;
  }
  get isShutdown(): boolean {
    return this._shut;
  }

  toString(): string {
    const parts = [this.constructor.name];
    if (this._maxsize !== Infinity) parts.push(`maxsize=${this._maxsize}`);
    parts.push(`qsize=${this.qsize()}`);
    if (this._getters.length > 0) parts.push(`getters[${this._getters.length}]`);
    if (this._putters.length > 0) parts.push(`putters[${this._putters.length}]`);
    if (this._unfinished > 0) parts.push(`tasks=${this._unfinished}`);
    if (this._shut) parts.push('shut down');
    return `<${parts.join(' ')}>`;
  }

  // ---- blocking methods (installed below with defineGreenMethods) -------------------------------------

  /**
   * Add `item`, waiting while the queue is full (at most `timeout` seconds, then Full). With `block: false`,
   * throws Full at once instead of waiting. Throws ShutDown after shutdown().
   * @blocking
   */
  declare put: (item: T, options?: PutOptions) => void;
  /**
   * Remove and return the next item, waiting while the queue is empty (at most `timeout` seconds, then Empty).
   * With `block: false`, throws Empty at once. Throws ShutDown once the queue is shut down and empty.
   * @blocking
   */
  declare get: (options?: GetOptions) => T;
  /**
   * Like get(), but leaves the item in the queue.
   * @blocking
   */
  declare peek: (options?: GetOptions) => T;
  /**
   * Wait until every item put has been marked done with taskDone(); false if `timeout` seconds pass first.
   * @blocking
   */
  declare join: (timeout?: number | null) => boolean;

  // ---- non-blocking methods ----------------------------------------------------------------------------

  /** Add `item` if there is a free slot, else throw Full. */
  putNowait(item: T): void {
    if (this._shut) throw shutDown(this, 'put');
    if (!(this.qsize() < this._maxsize)) throw new Full(`${this.constructor.name}.putNowait: the queue is full (maxsize ${this._maxsize})`);
    this._add(item);
  }
  /** Remove and return the next item if there is one, else throw Empty (ShutDown once shut down). */
  getNowait(): T {
    if (this.qsize() > 0) return this._take();
    if (this._shut) throw shutDown(this, 'get');
    throw new Empty(`${this.constructor.name}.getNowait: the queue is empty`);
  }
  /** The next item, left in the queue, if there is one, else throw Empty (ShutDown once shut down). */
  peekNowait(): T {
    if (this.qsize() > 0) return this._peek();
    if (this._shut) throw shutDown(this, 'peek');
    throw new Empty(`${this.constructor.name}.peekNowait: the queue is empty`);
  }

  /** Mark one item got from the queue as processed; join() returns once every item put has been. */
  taskDone(): void {
    if (this._unfinished <= 0) {
      throw new RangeError(
        `${this.constructor.name}.taskDone() called too many times: more calls than items put into the queue ` +
          `(unfinishedTasks is already 0). Call taskDone() once per item you got.`,
      );
    }
    if (--this._unfinished === 0 && this._joiners !== null) wakeAll(this._joiners);
  }

  /**
   * Shut the queue down (Python 3.13): put() raises ShutDown from now on, get() once the queue is empty, and
   * every greenlet blocked in put()/get() is woken to raise it. With `immediate`, the queued items are dropped
   * (each counted as done, which may release join()).
   */
  shutdown(options?: ShutdownOptions): void {
    this._shut = true;
    if (options?.immediate) {
      while (this.qsize() > 0) {
        this._get();
        if (this._unfinished > 0) this._unfinished--;
      }
      if (this._unfinished === 0 && this._joiners !== null) wakeAll(this._joiners);
    }
    wakeAll(this._getters);
    wakeAll(this._putters);
  }

  // ---- iteration ---------------------------------------------------------------------------------------

  /** Green iteration (`for (const item of queue)` in green code): each step is a get(); ends at shutdown. */
  [GREEN_ITERATOR](): GreenIterator<T> {
    return { next: () => iterStep(this) };
  }

  /** Plain iteration: takes the queued items, ends at shutdown, and throws BlockingSwitchOutError where it would
   * have to wait for more. */
  [Symbol.iterator](): IterableIterator<T> {
    const name = `${this.constructor.name} iteration`;
    const it: IterableIterator<T> = {
      next: () => runPlain(iterStep(this), name) as IteratorResult<T>,
      [Symbol.iterator]: () => it,
    };
    return it;
  }

  // ---- internals ---------------------------------------------------------------------------------------

  /** @internal Store an item that has a slot, count it as a task, and have a waiting getter served. */
  _add(item: T): void {
    this._put(item);
    this._unfinished++;
    if (this._getters.length > 0) this._scheduleUnlock();
  }

  /** @internal Take the next item (qsize() > 0) and have a waiting putter served in the freed slot. */
  _take(): T {
    if (this._putters.length > 0) this._scheduleUnlock();
    return this._get();
  }

  /** @internal The unlock step is queued in the hub. */
  _unlockQueued = false;

  /**
   * @internal Serve the waiters from the hub, after what is queued now (gevent's _schedule_unlock): the queue
   * itself goes in the ready queue, so this allocates nothing.
   */
  _scheduleUnlock(): void {
    if (this._unlockQueued) return;
    this._unlockQueued = true;
    getHub()._queue(this);
  }

  /**
   * @internal The unlock step (gevent's Queue._unlock), run by the hub: in turn, a waiting putter when there is
   * room and a waiting getter when there is an item, each resumed at once and running until it blocks again, so
   * a putter's item goes in before the next getter is served, exactly as in gevent.
   */
  _switchIn(hub: Hub): void {
    this._unlockQueued = false;
    for (;;) {
      let served = false;
      if (this._putters.length > 0 && this.qsize() < this._maxsize) {
        serve(hub, this._putters.shift()!);
        served = true;
      }
      if (this._getters.length > 0 && this.qsize() > 0) {
        serve(hub, this._getters.shift()!);
        served = true;
      }
      if (!served) return;
    }
  }
}

/**
 * Resume a waiter taken off a queue's line, with WOKEN. One already due to run (its timeout fired, it is being
 * killed) keeps that resume: it finds its way when it runs (it is no longer in the line, so it re-checks).
 */
function serve(hub: Hub, g: Greenlet<any>): void {
  if (g._pending !== RESUME_NONE) return;
  hub.resumeNow(g, WOKEN);
}

function shutDown(q: Queue<any>, op: string): ShutDown {
  return new ShutDown(`${q.constructor.name}.${op}: the queue has been shut down`);
}

function* iterStep<T>(q: Queue<T>): Green<IteratorResult<T, undefined>> {
  let value: T;
  try {
    value = yield* (q.get as any)[GREEN].call(q);
  } catch (e) {
    if (e instanceof ShutDown) return DONE;
    throw e;
  }
  return { done: false, value };
}

/**
 * A get() or peek() that waits: the hand-written generator form (suspension.ts), since a blocked getter is the
 * queue ping-pong's whole path. It waits in the queue's getters line; each resume re-checks the queue, as a
 * wake-up is only a hint. Leaving without taking an item (timeout, kill, plain call, or a peek) after being woken
 * for one hands the wake-up to the next getter, or it would wait for an item that sits in the queue.
 */
class QueueWait extends Suspension<unknown> {
  private cur: Greenlet<any> | null = null;
  private timer: TimerEntry | null = null;
  /** It is its own final result ({done, value}), which saves an allocation per get. */
  done = false;
  value: unknown = undefined;

  constructor(
    private readonly q: Queue<any> & { _peek(): unknown },
    private take: boolean,
    private seconds: number | null,
  ) {
    super();
  }

  /** @internal Reuse a finished wait of the same queue (see _spare). */
  _reset(take: boolean, seconds: number | null): this {
    this.take = take;
    this.seconds = seconds;
    this.done = false;
    this.value = undefined;
    return this;
  }

  next(resumed?: unknown): IteratorResult<undefined, unknown> {
    const q = this.q;
    const hub = getHub();
    const cur = this.cur;
    if (cur === null) {
      // Started: queue up in the getters line.
      const me = (this.cur = hub.current);
      q._getters.push(me);
      if (this.seconds !== null) this.timer = startTimer(hub, this.seconds, me);
      if (hub.monitoring) hub.noteSuspend();
      return SUSPEND;
    }
    if (q.qsize() > 0) {
      if (resumed !== WOKEN) q._getters.removeLast(cur);
      let item: unknown;
      try {
        item = this.take ? q._take() : q._peek();
      } catch (e) {
        this.leave(false);
        throw e;
      }
      this.leave(this.take);
      this.done = true;
      this.value = item;
      // Whoever drives this reads the result at once (yield*, runPlain), before any other get can run: so the
      // queue may hand this object to its next blocking get (the ping-pong path allocates nothing then).
      q._spare = this;
      return this as IteratorReturnResult<unknown>;
    }
    const op = this.take ? 'get' : 'peek';
    if (q._shut) {
      this.leave(false);
      throw shutDown(q, op);
    }
    if (expired(this.timer)) {
      this.leave(false);
      throw new Empty(`${q.constructor.name}.${op}: the queue stayed empty for ${secondsText(this.seconds!)}`);
    }
    // Woken for nothing (another greenlet took the item first): back to the head of the line.
    requeueFront(q._getters, cur, resumed);
    if (hub.monitoring) hub.noteSuspend();
    return SUSPEND;
  }

  throw(error: unknown): never {
    thrownIn(error);
    this.throwOut();
    throw error;
  }

  protected override throwOut(): void {
    if (this.cur !== null) this.leave(false);
  }

  private leave(took: boolean): void {
    const q = this.q;
    const cur = this.cur!;
    this.cur = null;
    if (this.timer !== null) getHub().timers.cancel(this.timer);
    this.timer = null;
    if (!took && !q._getters.removeLast(cur) && q.qsize() > 0 && q._getters.length > 0) q._scheduleUnlock();
  }
}

/** The generator forms of get() and peek(): an item at once, or a QueueWait. */
function keepQueueShapes(): void {
  // shapes.ts: a queue (with its deques) and a finished wait, as real ones look
  const q = keepShape(new Queue<unknown>());
  const w = keepShape(new QueueWait(q as never, true, null));
  w.done = true;
  w.value = {};
}

function makeGetOrPeek(take: boolean) {
  const op = take ? 'get' : 'peek';
  return function getOrPeek(this: Queue<any>, options?: GetOptions): Green<unknown> {
    const q = this as Queue<any> & { _peek(): unknown };
    if (q.qsize() > 0) return ready(take ? q._take() : q._peek());
    if (q._shut) throw shutDown(q, op);
    if (options?.block === false) throw new Empty(`${q.constructor.name}.${op}: the queue is empty`);
    const timeout = options?.timeout;
    if (timeout instanceof Timeout) return underTimeout(timeout, new QueueWait(q, take, null).green());
    const seconds = timeout == null ? null : timeoutSeconds(timeout, q, op);
    const spare = q._spare;
    if (spare !== null) {
      q._spare = null;
      return spare._reset(take, seconds).green();
    }
    return new QueueWait(q, take, seconds).green();
  };
}

/** put() that has to wait for a free slot. */
function* putWaiting(this: Queue<any>, item: unknown, seconds: number | null): Green<void> {
  const hub = getHub();
  const cur: Greenlet<any> = hub.current;
  const putters = this._putters;
  putters.push(cur);
  const timer = startTimer(hub, seconds, cur);
  let resumed: unknown;
  let done = false;
  try {
    for (;;) {
      if (hub.monitoring) hub.noteSuspend();
      resumed = yield;
      if (this._shut) throw shutDown(this, 'put');
      if (this.qsize() < this._maxsize) {
        if (resumed !== WOKEN) putters.removeLast(cur);
        this._add(item);
        done = true;
        return;
      }
      if (expired(timer)) throw new Full(`${this.constructor.name}.put: the queue stayed full for ${secondsText(seconds!)}`);
      requeueFront(putters, cur, resumed);
    }
  } catch (e) {
    thrownIn(e);
    throw e;
  } finally {
    if (timer !== null) hub.timers.cancel(timer);
    // Woken for a free slot but leaving without filling it: wake the next putter in our place.
    if (!done && !putters.removeLast(cur) && this.qsize() < this._maxsize && putters.length > 0) this._scheduleUnlock();
  }
}

/** The generator form of put(): done at once when there is room (no generator made), else putWaiting. */
function put(this: Queue<any>, item: unknown, options?: PutOptions): Green<void> {
  if (this._shut) throw shutDown(this, 'put');
  const block = options?.block !== false;
  const timeout = options?.timeout;
  const seconds = block && timeout != null && !(timeout instanceof Timeout) ? timeoutSeconds(timeout, this, 'put') : null;
  if (this.qsize() < this._maxsize) {
    this._add(item);
    return NOTHING;
  }
  if (!block) throw new Full(`${this.constructor.name}.put: the queue is full (maxsize ${this._maxsize})`);
  if (timeout instanceof Timeout) return underTimeout(timeout, putWaiting.call(this, item, null));
  return putWaiting.call(this, item, seconds);
}

defineGreenMethods(Queue, {
  put: put as never,
  get: makeGetOrPeek(true) as never,
  peek: makeGetOrPeek(false) as never,

  *join(this: Queue<any>, timeout?: number | null) {
    if (this._unfinished === 0) return true;
    const seconds = timeoutSeconds(timeout, this, 'join');
    const hub = getHub();
    const cur: Greenlet<any> = hub.current;
    const joiners = (this._joiners ??= new Deque());
    joiners.push(cur);
    const timer = startTimer(hub, seconds, cur);
    let resumed: unknown;
    try {
      for (;;) {
        if (hub.monitoring) hub.noteSuspend();
        resumed = yield;
        // Woken by the last taskDone(): true even if new items arrived before we ran (gevent's Event semantics).
        if (resumed === WOKEN || this._unfinished === 0) return true;
        if (expired(timer)) return false;
        if (joiners.indexOf(cur) < 0) joiners.push(cur);
      }
    } catch (e) {
      thrownIn(e);
      throw e;
    } finally {
      if (timer !== null) hub.timers.cancel(timer);
      if (resumed !== WOKEN) joiners.removeLast(cur);
    }
  },
});

keepQueueShapes();

/** gevent's JoinableQueue: every Queue here has taskDone() and join(). */
export const JoinableQueue = Queue;
export type JoinableQueue<T = unknown> = Queue<T>;

/** An unbounded FIFO queue (Python's queue.SimpleQueue): put() never waits. */
export class SimpleQueue<T = unknown> extends Queue<T> {
  constructor(options?: QueueOptions<T>) {
    super(null, options);
  }
}

/** A queue that returns the most recently added item first. */
export class LifoQueue<T = unknown> extends Queue<T> {
  declare private _stack: T[];

  protected override _init(options: QueueOptions<T> | undefined): void {
    this._stack = options?.items !== undefined ? [...options.items] : [];
  }
  protected override _put(item: T): void {
    this._stack.push(item);
  }
  protected override _get(): T {
    return this._stack.pop() as T;
  }
  protected override _peek(): T {
    return this._stack[this._stack.length - 1];
  }
  override qsize(): number {
    return this._stack.length;
  }
}
