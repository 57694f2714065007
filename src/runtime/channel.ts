/**
 * Channel (gevent.queue.Channel): a rendezvous with no room for items. put() waits until a getter has taken
 * its item; get() waits for a putter. As in gevent, a greenlet's put() and get() always wait in line and are
 * served by the channel's unlock step in the hub (gevent's Channel._unlock): in turn the longest-waiting getter
 * is resumed at once with the longest-waiting putter's item, then that putter, each running until it blocks
 * again. So getters are served strictly FIFO: one that comes back for more queues behind those already waiting.
 * A blocked putter's item waits with it (`_items` runs parallel to `_putters`).
 */
import { GREEN, GREEN_ITERATOR, defineGreenMethods, runPlain, type BlockingIterable, type Green, type GreenIterator } from './convention.js';
import { getHub, RESUME_NONE, type Hub, thrownIn } from './hub.js';
import type { Greenlet } from './greenlet.js';
import { Deque } from './queue-deque.js';
import { Empty, Full } from './queue-errors.js';
import type { GetOptions, PutOptions } from './queue.js';
import { Timeout, underTimeout } from './timeout.js';
import { expired, secondsText, startTimer, timeoutSeconds, type WaiterList } from './queue-waiters.js';

/** The resume value of a putter whose item a getter took. */
const TAKEN: unique symbol = Symbol('greenlets.channel.taken') as never;
/** The resume value of a getter that was handed an item (the item is in the channel's `_handed`). */
const HANDED: unique symbol = Symbol('greenlets.channel.handed') as never;

export class Channel<T = unknown> implements BlockingIterable<T> {
  /** @internal */ _getters: WaiterList = new Deque();
  /** @internal Putters waiting for their item to be taken; null for an item left by putNowait(). */
  _putters: Deque<Greenlet<any> | null> = new Deque();
  /** @internal The putters' items, in the same order. */
  _items: Deque<T> = new Deque();
  /** @internal Items handed to getters taken off the line, until each getter runs and takes its own. */
  _handed: Map<Greenlet<any>, T> | null = null;
  /** @internal The unlock step is queued or running (gevent's _event_unlock). */
  _unlockQueued = false;

  /** gevent's Channel takes a maxsize only to refuse anything but 1. */
  constructor(maxsize: number = 1) {
    if (maxsize !== 1) {
      throw new RangeError(`Channel has no room for items (its maxsize is always 1); got maxsize ${maxsize}. Use Queue(${maxsize}) for a buffer.`);
    }
  }

  /** Waiting putters minus waiting getters (gevent's balance). */
  get balance(): number {
    return this._putters.length - this._getters.length;
  }
  /** Always 0: a channel holds no items. */
  qsize(): number {
    return 0;
  }
  empty(): boolean {
    return true;
  }
  full(): boolean {
    return true;
  }

  toString(): string {
    const parts = ['Channel'];
    if (this._getters.length > 0) parts.push(`getters[${this._getters.length}]`);
    if (this._putters.length > 0) parts.push(`putters[${this._putters.length}]`);
    return `<${parts.join(' ')}>`;
  }

  /**
   * Hand `item` to a getter, waiting until one has taken it (at most `timeout` seconds, then Full). With
   * `block: false`, the same as putNowait().
   * @blocking
   */
  declare put: (item: T, options?: PutOptions) => void;
  /**
   * Take the item of a waiting putter, waiting for one (at most `timeout` seconds, then Empty). With
   * `block: false`, the same as getNowait().
   * @blocking
   */
  declare get: (options?: GetOptions) => T;

  /** Hand `item` to a getter that is waiting, without waiting for it to run; Full if no getter is waiting. */
  putNowait(item: T): void {
    const getter = this._nextWaiting(this._getters);
    if (getter === undefined) throw new Full('Channel.putNowait: no getter is waiting to take the item');
    this._hand(getter, item);
    getHub().schedule(getter, HANDED);
  }

  /** Take the item of a waiting putter; Empty if no putter is waiting. */
  getNowait(): T {
    if (this._putters.length === 0) throw new Empty('Channel.getNowait: no putter is waiting with an item');
    return this._take();
  }

  /** Green iteration: a get() per step, forever (a channel has no end; break out of the loop). */
  [GREEN_ITERATOR](): GreenIterator<T> {
    return { next: () => iterStep(this) };
  }

  /** Plain iteration: the items of waiting putters; BlockingSwitchOutError where it would have to wait. */
  [Symbol.iterator](): IterableIterator<T> {
    const it: IterableIterator<T> = {
      next: () => runPlain(iterStep(this), 'Channel iteration') as IteratorResult<T>,
      [Symbol.iterator]: () => it,
    };
    return it;
  }

  /** @internal Take the first waiting putter's item and release that putter. */
  _take(): T {
    const putter = this._putters.shift();
    const item = this._items.shift() as T;
    if (putter != null) getHub().schedule(putter, TAKEN);
    return item;
  }

  /** @internal Take the longest-waiting getter off the line, passing over those already due to run (timed
   * out, being killed): they are leaving, and find their way when they run. */
  _nextWaiting(line: WaiterList): Greenlet<any> | undefined {
    while (line.length > 0) {
      const g = line.shift()!;
      if (g._pending === RESUME_NONE) return g;
    }
    return undefined;
  }

  /** @internal */
  _hand(getter: Greenlet<any>, item: T): void {
    (this._handed ??= new Map()).set(getter, item);
  }

  /** @internal Serve the waiting pairs from the hub, after what is queued now (gevent's _schedule_unlock). */
  _scheduleUnlock(): void {
    if (this._unlockQueued) return;
    this._unlockQueued = true;
    getHub()._queue(this);
  }

  /** @internal The unlock step: a getter and a putter in turn, each resumed at once and running until it blocks
   * again; a waiter that comes back meanwhile joins the end of its line and is served in this same step. */
  _switchIn(hub: Hub): void {
    try {
      while (this._putters.length > 0 && this._getters.length > 0) {
        const getter = this._nextWaiting(this._getters);
        if (getter === undefined) break;
        const putter = this._putters.shift()!;
        this._hand(getter, this._items.shift() as T);
        hub.resumeNow(getter, HANDED);
        // A putter already due to run (its timer fired, it is being killed) finds itself off the line: taken.
        if (putter !== null && putter._pending === RESUME_NONE) hub.resumeNow(putter, TAKEN);
      }
    } finally {
      this._unlockQueued = false;
    }
  }
}

function* iterStep<T>(c: Channel<T>): Green<IteratorResult<T, undefined>> {
  return { done: false, value: yield* (c.get as any)[GREEN].call(c) };
}

defineGreenMethods(Channel, {
  *put(this: Channel<any>, item: unknown, options?: PutOptions): Green<void> {
    if (options?.block === false) return this.putNowait(item);
    if (options?.timeout instanceof Timeout) return yield* underTimeout(options.timeout, (this.put as any)[GREEN].call(this, item));
    const seconds = timeoutSeconds(options?.timeout, this, 'put');
    const hub = getHub();
    const cur: Greenlet<any> = hub.current;
    this._putters.push(cur);
    this._items.push(item);
    if (this._getters.length > 0) this._scheduleUnlock();
    const timer = startTimer(hub, seconds, cur);
    let resumed: unknown;
    try {
      for (;;) {
        if (hub.monitoring) hub.noteSuspend();
        resumed = yield;
        // Taken, even if the wake-up that said so lost the race with our timer.
        if (resumed === TAKEN || this._putters.indexOf(cur) < 0) return;
        if (expired(timer)) throw new Full(`Channel.put: no getter took the item within ${secondsText(seconds!)}`);
      }
    } catch (e) {
      thrownIn(e);
      throw e;
    } finally {
      if (timer !== null) hub.timers.cancel(timer);
      if (resumed !== TAKEN) {
        // Leaving with the item untaken (timeout, kill, plain call): withdraw it.
        const i = this._putters.lastIndexOf(cur);
        if (i >= 0) {
          this._putters.removeAt(i);
          this._items.removeAt(i);
        }
      }
    }
  },

  *get(this: Channel<any>, options?: GetOptions): Green<unknown> {
    if (options?.block === false) return this.getNowait();
    if (options?.timeout instanceof Timeout) return yield* underTimeout(options.timeout, (this.get as any)[GREEN].call(this));
    const seconds = timeoutSeconds(options?.timeout, this, 'get');
    const hub = getHub();
    const cur: Greenlet<any> = hub.current;
    const getters = this._getters;
    getters.push(cur);
    if (this._putters.length > 0) this._scheduleUnlock();
    const timer = startTimer(hub, seconds, cur);
    let done = false;
    try {
      for (;;) {
        if (hub.monitoring) hub.noteSuspend();
        yield;
        const handed = this._handed;
        if (handed !== null && handed.has(cur)) {
          const item = handed.get(cur);
          handed.delete(cur);
          done = true;
          return item;
        }
        if (expired(timer)) throw new Empty(`Channel.get: no putter came within ${secondsText(seconds!)}`);
        if (getters.indexOf(cur) < 0) getters.unshift(cur);
      }
    } catch (e) {
      thrownIn(e);
      throw e;
    } finally {
      if (timer !== null) hub.timers.cancel(timer);
      if (!done) {
        getters.removeLast(cur);
        const handed = this._handed;
        if (handed !== null && handed.has(cur)) {
          // Handed an item, but a kill or Timeout came first: the item goes to the next getter.
          this._putters.unshift(null);
          this._items.unshift(handed.get(cur));
          handed.delete(cur);
          if (getters.length > 0) this._scheduleUnlock();
        }
      }
    }
  },
});
