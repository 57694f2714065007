/**
 * What Event, AsyncResult and Semaphore share (gevent's AbstractLinkable): a FIFO queue of the greenlets blocked
 * on the object, and the rawlink() callbacks that iwait/wait and users register.
 *
 * The two are kept apart on purpose. A blocked greenlet costs one slot in an array (no closure, no node object),
 * so 100k greenlets waiting on one Event cost ~8 B each here; it is woken directly with `hub.schedule` at the
 * moment the object becomes ready, which keeps FIFO order in the hub's ready queue. Callbacks are rarer and are
 * called from the hub (one notification round per readiness, the object itself queued as the round's entry, never
 * inside set()/release()), because they are user code that must not run in the middle of the caller's own
 * operation.
 */
import { getHub, reportError, RESUME_NONE, type Hub } from './hub.js';
import { functionName } from './describe.js';
import type { Greenlet } from './greenlet.js';
import { describeValue } from './greenlet.js';
import { BlockingSwitchOutError } from './errors.js';
import type { Green } from './convention.js';

/** Resume value of a waiter woken because the object became ready. */
export const WOKEN: unique symbol = Symbol('woken') as never;
/** Resume value of a waiter whose own `timeout` ran out. */
export const TIMED_OUT: unique symbol = Symbol('timed out') as never;

/** Timer callback for a wait with a timeout: a hint like any other wake-up, the waiter decides what it means. */
export function wakeTimedOut(g: Greenlet<any>): void {
  getHub().schedule(g, TIMED_OUT);
}

/**
 * FIFO of blocked greenlets: an array with a moving head. A waiter that leaves early (timeout, kill) becomes a
 * hole (null) instead of shifting the array, so 100k waiters timing out in order cost O(1) each; holes are
 * compacted away once they outnumber the live entries.
 */
export class WaitQueue {
  private a: (Greenlet<any> | null)[] = [];
  private h = 0;
  /** Number of live (non-hole) entries. */
  size = 0;

  push(g: Greenlet<any>): void {
    this.a.push(g);
    this.size++;
  }

  /** The longest-waiting greenlet, or null. */
  first(): Greenlet<any> | null {
    const a = this.a;
    let h = this.h;
    while (h < a.length && a[h] === null) h++;
    this.h = h;
    return h < a.length ? a[h] : null;
  }

  /** Remove `g` if it is still queued; false if it is not (someone took it out: set() wakes by emptying). */
  remove(g: Greenlet<any>): boolean {
    const a = this.a;
    const i = a.indexOf(g, this.h);
    if (i < 0) return false;
    a[i] = null;
    if (--this.size === 0) {
      this.a = [];
      this.h = 0;
    } else if (a.length - this.h - this.size > this.size + 32) {
      this.compact();
    }
    return true;
  }

  has(g: Greenlet<any>): boolean {
    return this.a.indexOf(g, this.h) >= 0;
  }

  /** Take every queued greenlet out, in FIFO order (holes included, as null): the queue is left empty. */
  takeAll(): (Greenlet<any> | null)[] {
    const a = this.a;
    const h = this.h;
    this.a = [];
    this.h = 0;
    this.size = 0;
    return h === 0 ? a : a.slice(h);
  }

  private compact(): void {
    const out: Greenlet<any>[] = [];
    const a = this.a;
    for (let i = this.h; i < a.length; i++) if (a[i] !== null) out.push(a[i]!);
    this.a = out;
    this.h = 0;
  }
}

export type LinkableCallback<S> = (source: S) => void;

export abstract class Linkable {
  /** @internal Greenlets blocked on this object, FIFO. */
  _q = new WaitQueue();
  /** @internal rawlink() callbacks in registration order; null until the first. */
  _links: LinkableCallback<any>[] | null = null;
  /** @internal A hub callback to notify `_links` is queued. */
  _notifying = false;
  /** @internal The callbacks being notified now (unlinked ones become null); null between notifications. */
  _firing: (LinkableCallback<any> | null)[] | null = null;

  abstract ready(): boolean;

  /**
   * Call `callback(this)` from the hub once this object is ready (at once, from the hub, if it already is). The
   * callback is removed before it is called; it must not block.
   */
  rawlink(callback: LinkableCallback<this>): void {
    if (typeof callback !== 'function') {
      throw new TypeError(`rawlink() needs a function to call when ready; got ${describeValue(callback)}`);
    }
    (this._links ??= []).push(callback);
    if (this.ready()) this._scheduleNotify();
  }

  /** Remove a callback registered with rawlink(); unknown callbacks are ignored. Called by a callback while
   * the callbacks are being notified, it stops a later one from being called (gevent). */
  unlink(callback: LinkableCallback<this>): void {
    const firing = this._firing;
    if (firing !== null) {
      const j = firing.indexOf(callback);
      if (j >= 0) firing[j] = null;
    }
    const links = this._links;
    if (links === null) return;
    const i = links.indexOf(callback);
    if (i >= 0) links.splice(i, 1);
  }

  /** How many greenlets and callbacks are waiting on this object (for tests and debugging, as gevent's). */
  linkcount(): number {
    return this._q.size + (this._links?.length ?? 0);
  }

  /** @internal Queue one hub callback that calls the rawlink callbacks, if there are any. */
  _scheduleNotify(): void {
    if (this._notifying || this._links === null || this._links.length === 0) return;
    this._startRound();
  }

  /**
   * @internal Take a place in the hub's ready queue for a notification round (the object itself is the entry,
   * as a dead greenlet is): rawlinks made before it runs are called in it, after what was queued before them.
   */
  _startRound(): void {
    if (this._notifying) return;
    this._notifying = true;
    getHub()._queue(this);
  }

  /**
   * @internal How many of `_links` the pending round calls, fixed when the round "starts": in gevent the
   * waiters woken by set() are links switched to from inside the round, and a rawlink one of them makes is
   * after the round's last link, so it waits for the next round (gevent issue 771). -1: not fixed yet (all).
   */
  _cut = -1;

  /** @internal A waiter woken for the pending round runs: in gevent's terms the round has begun. */
  _roundBegins(): void {
    if (this._notifying && this._cut < 0) this._cut = this._links?.length ?? 0;
  }

  /** @internal The hub runs the round. */
  _switchIn(hub: Hub): void {
    const cut = this._cut;
    this._cut = -1;
    this._notifying = false;
    hub.current = hub.main;
    const links = this._links;
    if (cut >= 0 && links !== null && cut < links.length) {
      // the later links wait for the next round, which comes only if the object is (still) ready
      this._links = links.splice(0, cut);
      this._fireLinks();
      this._links = this._links === null ? links : links.concat(this._links);
      if (this.ready()) this._scheduleNotify();
      return;
    }
    this._fireLinks();
  }

  /** @internal Call the callbacks; the default (Event, AsyncResult) calls every one registered now, even if
   * the object was reset meanwhile: it *was* ready, and every waiter must hear of it. */
  _fireLinks(): void {
    const links: (LinkableCallback<any> | null)[] | null = this._links;
    if (links === null) return;
    // Callbacks registered while these run wait for the next round (a hub callback that rawlink() queues).
    this._links = null;
    this._firing = links;
    try {
      for (let i = 0; i < links.length; i++) {
        const cb = links[i];
        if (cb === null) continue;
        links[i] = null;
        callLink(cb, this);
      }
    } finally {
      this._firing = null;
    }
  }
}

export function callLink(cb: LinkableCallback<any>, source: unknown): void {
  try {
    cb(source);
  } catch (e) {
    // Called from the hub: an error must not escape into whatever the hub runs next.
    reportError(getHub(), `the rawlink callback ${functionName(cb)} of ${String(source)}`, e);
  }
}

/**
 * Let the greenlets that an object has just woken run before the caller (gevent issue 1520: a caller that finds
 * an Event set while its earlier waiters are still being woken runs after them). Only a courtesy: called plainly
 * it cannot suspend, and it need not, since the object is ready; so a BlockingSwitchOutError here is swallowed.
 */
export function* yieldTurn(hub: Hub): Green<void> {
  const cur = hub.current;
  // Not a suspendable greenlet (plain code), or one that already has a resume queued (plain code running in a
  // hub callback while main is suspended): nothing to yield, and its queued resume must not be touched.
  if (cur._gen === null || cur._pending !== RESUME_NONE) return;
  hub.schedule(cur);
  try {
    yield;
  } catch (e) {
    if (!(e instanceof BlockingSwitchOutError)) throw e;
  } finally {
    // Thrown into before our turn came (plain call, kill): drop the queued resume so it cannot fire later.
    cur._pending = RESUME_NONE;
  }
}
