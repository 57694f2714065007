/**
 * What the queues share about waiting: FIFO lists of suspended greenlets, the wake-up protocol, timeouts.
 *
 * A waiter list holds greenlets, nothing else (no record or closure per suspension). Waking pops the first
 * greenlet and resumes it with WOKEN, so when it runs it knows it is no longer in the list; any other resume
 * value (its timer, a lost race with the timer) means it may still be there and must look. A wake-up is only a
 * hint (docs/architecture.md): the woken greenlet re-checks the queue, and one that leaves without using its
 * wake-up (killed, timed out) hands it on to the next waiter.
 */
import { getHub, type Hub } from './hub.js';
import type { Greenlet } from './greenlet.js';
import type { TimerEntry } from './timers.js';
import type { Deque } from './queue-deque.js';

/** The resume value of a greenlet that a queue popped from one of its waiter lists. */
export const WOKEN: unique symbol = Symbol('greenlets.queue.woken') as never;

export type WaiterList = Deque<Greenlet<any>>;

/** Wake the longest-waiting greenlet of `list`, if any. */
export function wakeFirst(list: WaiterList): void {
  const g = list.shift();
  if (g !== undefined) getHub().schedule(g, WOKEN);
}

export function wakeAll(list: WaiterList): void {
  while (list.length > 0) wakeFirst(list);
}

/** Put a greenlet that was woken for nothing (another took the item first) back at the head of the line,
 * where it was, unless it is still in the list. */
export function requeueFront(list: WaiterList, g: Greenlet<any>, resumedWith: unknown): void {
  if (resumedWith === WOKEN || list.indexOf(g) < 0) list.unshift(g);
}

function timerFired(g: Greenlet<any>): void {
  getHub().schedule(g);
}

/** Arrange for `g` to be resumed after `seconds` (null: never). The waiter tells a timeout by `expired()`. */
export function startTimer(hub: Hub, seconds: number | null, g: Greenlet<any>): TimerEntry | null {
  return seconds === null ? null : hub.timers.add(seconds, timerFired, g);
}

/** True once the timer has fired: the heap takes an entry off its slot before running its callback. */
export function expired(t: TimerEntry | null): boolean {
  return t !== null && !t.pending;
}

/**
 * Check a `timeout` option: null/undefined (or Infinity) waits forever; otherwise a non-negative number of
 * seconds. A negative one is refused as Python's queue does, rather than silently meaning "do not wait".
 * `owner` and `op` name the call in the error (joined only then: this runs on every blocking call).
 */
export function timeoutSeconds(timeout: unknown, owner: object, op: string): number | null {
  if (timeout === undefined || timeout === null || timeout === Infinity) return null;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
    throw new TypeError(`${owner.constructor.name}.${op}: timeout must be a number of seconds, a Timeout, or null; got ${String(timeout)}`);
  }
  if (timeout < 0) {
    throw new RangeError(`${owner.constructor.name}.${op}: timeout must be a non-negative number of seconds; got ${timeout}`);
  }
  return timeout;
}

export function secondsText(seconds: number): string {
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
