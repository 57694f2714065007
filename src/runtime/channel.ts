/**
 * Channel (gevent.queue.Channel): a rendezvous with no room for items. put() waits until a getter has taken
 * its item; get() waits for a putter. A blocked putter's item waits with it (`_items` runs parallel to
 * `_putters`) and a getter takes it when the getter runs, so an item is never handed to a greenlet that is
 * killed before it could use it: it stays for the next getter.
 */
import { GREEN, GREEN_ITERATOR, defineGreenMethods, runPlain, type BlockingIterable, type Green, type GreenIterator } from './convention.js';
import { getHub } from './hub.js';
import type { Greenlet } from './greenlet.js';
import { Deque } from './queue-deque.js';
import { Empty, Full } from './queue-errors.js';
import type { GetOptions, PutOptions } from './queue.js';
import { Timeout, underTimeout } from './timeout.js';
import { WOKEN, expired, requeueFront, secondsText, startTimer, timeoutSeconds, wakeFirst, type WaiterList } from './queue-waiters.js';

/** The resume value of a putter whose item a getter took. */
const TAKEN: unique symbol = Symbol('greenlets.channel.taken') as never;

export class Channel<T = unknown> implements BlockingIterable<T> {
  /** @internal */ _getters: WaiterList = new Deque();
  /** @internal Putters waiting for their item to be taken; null for an item left by putNowait(). */
  _putters: Deque<Greenlet<any> | null> = new Deque();
  /** @internal The putters' items, in the same order. */
  _items: Deque<T> = new Deque();

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
    if (this._getters.length === 0) throw new Full('Channel.putNowait: no getter is waiting to take the item');
    this._putters.push(null);
    this._items.push(item);
    wakeFirst(this._getters);
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
    if (this._getters.length > 0) wakeFirst(this._getters);
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
    if (this._putters.length > 0) return this._take();
    if (options?.block === false) return this.getNowait();
    if (options?.timeout instanceof Timeout) return yield* underTimeout(options.timeout, (this.get as any)[GREEN].call(this));
    const seconds = timeoutSeconds(options?.timeout, this, 'get');
    const hub = getHub();
    const cur: Greenlet<any> = hub.current;
    const getters = this._getters;
    getters.push(cur);
    const timer = startTimer(hub, seconds, cur);
    let resumed: unknown;
    let done = false;
    try {
      for (;;) {
        if (hub.monitoring) hub.noteSuspend();
        resumed = yield;
        if (this._putters.length > 0) {
          if (resumed !== WOKEN) getters.removeLast(cur);
          done = true;
          return this._take();
        }
        if (expired(timer)) throw new Empty(`Channel.get: no putter came within ${secondsText(seconds!)}`);
        requeueFront(getters, cur, resumed);
      }
    } finally {
      if (timer !== null) hub.timers.cancel(timer);
      // Woken for a putter's item but leaving without it: the next getter takes it instead.
      if (!done && !getters.removeLast(cur) && this._putters.length > 0) wakeFirst(getters);
    }
  },
});
