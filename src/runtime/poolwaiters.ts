/**
 * A FIFO list of greenlets waiting for a condition, the building block of the pool's blocking methods (a free
 * slot, an empty group, the next imap result). Wake-ups are hints: a woken waiter re-checks its condition when
 * it runs, and one that leaves without using what woke it (killed, timed out, or only looking) passes the
 * wake-up on, so nothing meant for "a waiter" is lost with it.
 */
import type { Green } from './convention.js';
import { getHub, thrownIn } from './hub.js';
import type { Greenlet } from './greenlet.js';

export class WaitList {
  /** Insertion-ordered, O(1) removal; a greenlet waits on one thing at a time, so it is here at most once. */
  private readonly waiters = new Set<Greenlet<any>>();

  get length(): number {
    return this.waiters.size;
  }

  /** Wake the first `n` waiters (those already woken count: the hub ignores a second resume). */
  wake(n = 1): void {
    if (n <= 0) return;
    const hub = getHub();
    for (const g of this.waiters) {
      hub.schedule(g);
      if (--n <= 0) return;
    }
  }

  wakeAll(): void {
    const hub = getHub();
    for (const g of this.waiters) hub.schedule(g);
  }

  /**
   * Suspend until `take()` returns true (it is called at once, and again on every wake-up; it may claim what
   * it found), or until `timeout` seconds have passed (then false). However the wait ends, `spare()` (what is
   * still available for others once this waiter is gone) waiters are woken next.
   */
  *waitUntil(take: () => boolean, timeout?: number | null, spare?: () => number): Green<boolean> {
    if (take()) return true;
    const hub = getHub();
    const cur = hub.current;
    let timedOut = false;
    const timer =
      timeout != null
        ? hub.timers.add(timeout, () => {
            timedOut = true;
            hub.schedule(cur);
          })
        : null;
    this.waiters.add(cur);
    try {
      for (;;) {
        if (hub.monitoring) hub.noteSuspend();
        yield;
        if (take()) return true;
        if (timedOut) return false;
      }
    } catch (e) {
      thrownIn(e);
      throw e;
    } finally {
      this.waiters.delete(cur);
      if (timer !== null) hub.timers.cancel(timer);
      if (spare !== undefined && this.waiters.size > 0) this.wake(spare());
    }
  }
}
