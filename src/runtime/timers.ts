/**
 * The hub's timers: one indexed binary heap behind a single Node timer. A Node Timeout object per sleeping
 * greenlet would cost ~200 B and a libuv re-arm each; here a sleeper costs one small entry, cancellation is
 * O(log n) and removes the entry at once (withTimeout in a loop leaves no garbage behind).
 *
 * Timers of the same length started in the same hub batch share one slot and fire together, in the order they
 * were started, once the last of them is due. libev does the same in effect: it polls with a timeout rounded
 * up to whole milliseconds and then expires every timer that is due, so greenlets that went to sleep side by
 * side wake side by side. Measured to the microsecond, their deadlines differ by however long the batch ran
 * between them, which a garbage collection or a busy machine stretches to milliseconds; the shared slot keeps
 * the program's order from depending on that, never waking anyone early and the first of them at most
 * GROUP_SPAN_MS late.
 */
import { keepShape } from './shapes.js';

/** One started timer: what the callers hold, to cancel it or to ask whether it fired. */
export class TimerEntry {
  /** Neighbours in the slot's list, in the order the entries were started. */
  prev: TimerEntry | null = null;
  next: TimerEntry | null = null;
  constructor(
    public slot: TimerSlot,
    public callback: (arg: any) => void,
    public arg: unknown,
  ) {}

  /** Started and neither fired nor cancelled. */
  get pending(): boolean {
    return this.prev !== null || this.slot.first === this;
  }

  /** When it fires (or fired): its slot's deadline, on performance.now()'s clock. */
  get deadline(): number {
    return this.slot.deadline;
  }
}

/** What the heap orders: the entries of one length started in one batch. */
class TimerSlot {
  /** Position in the heap, or -1 when not scheduled. */
  index = -1;
  first: TimerEntry | null = null;
  last: TimerEntry | null = null;
  constructor(
    public deadline: number,
    public readonly seq: number,
    public readonly ms: number,
    public readonly startedAt: number,
  ) {}
}

keepShape(new TimerEntry(new TimerSlot(0, 0, 0, 0), () => undefined, null)); // shapes.ts

const MAX_DELAY_MS = 2 ** 31 - 1;
/** How long after a slot's first timer another may still join it. */
const GROUP_SPAN_MS = 10;

export class TimerHeap {
  private heap: TimerSlot[] = [];
  private seq = 0;
  private count = 0;
  private nodeTimer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private holdsProcess = true;
  /** The hub's batch number (the hub bumps it) and the slots opened in it, by length. */
  private batch = 0;
  private slotsBatch = -1;
  private slots = new Map<number, TimerSlot>();

  /** How many timers are pending. */
  get size(): number {
    return this.count;
  }

  /** @internal The hub starts running another batch of greenlets. */
  nextBatch(): void {
    this.batch++;
  }

  /** Run `callback(arg)` after `seconds` (from the Node loop, never inside a greenlet). */
  add(seconds: number, callback: (arg: any) => void, arg?: unknown): TimerEntry {
    const ms = seconds > 0 ? seconds * 1000 : 0;
    const now = performance.now();
    if (this.slotsBatch !== this.batch) {
      if (this.slots.size > 0) this.slots.clear();
      this.slotsBatch = this.batch;
    }
    let slot = this.slots.get(ms);
    if (slot === undefined || slot.index < 0 || now - slot.startedAt > GROUP_SPAN_MS) {
      slot = new TimerSlot(now + ms, this.seq++, ms, now);
      this.slots.set(ms, slot);
      this.insert(slot);
    } else if (now + ms > slot.deadline) {
      // Later only: the Node timer may stay armed for the earlier time (fire() then re-arms).
      slot.deadline = now + ms;
      this.down(slot.index);
    }
    const e = new TimerEntry(slot, callback, arg);
    if (slot.last === null) slot.first = e;
    else {
      slot.last.next = e;
      e.prev = slot.last;
    }
    slot.last = e;
    this.count++;
    return e;
  }

  cancel(e: TimerEntry): void {
    if (!e.pending) return;
    const slot = e.slot;
    this.unlink(e);
    if (slot.first === null && slot.index >= 0) this.remove(slot);
  }

  private unlink(e: TimerEntry): void {
    const slot = e.slot;
    if (e.prev === null) slot.first = e.next;
    else e.prev.next = e.next;
    if (e.next === null) slot.last = e.prev;
    else e.next.prev = e.prev;
    e.prev = e.next = null;
    this.count--;
  }

  private insert(slot: TimerSlot): void {
    const h = this.heap;
    slot.index = h.length;
    h.push(slot);
    this.up(slot.index);
    if (slot.index === 0) this.arm();
  }

  private remove(slot: TimerSlot): void {
    const i = slot.index;
    const h = this.heap;
    const last = h.pop()!;
    slot.index = -1;
    if (last !== slot) {
      h[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
    if (h.length === 0) this.disarm();
    else if (i === 0) this.arm();
  }

  private fire = (): void => {
    this.nodeTimer = null;
    this.armedFor = Infinity;
    const h = this.heap;
    // Only slots whose time has come: gevent never ends a sleep early (its sleep updates libev's clock first),
    // and a greenlet woken early would start its next sleep early too, ending it before one that was due first.
    // Node can still fire a little early (libuv measures from its cached loop time); arm() then waits the rest.
    const now = performance.now();
    while (h.length > 0 && h[0].deadline <= now) {
      const slot = h[0];
      this.remove(slot);
      // A callback may cancel entries further on (a kill): each is taken off the list before it runs.
      for (let e = slot.first; e !== null; e = slot.first) {
        this.unlink(e);
        e.callback(e.arg);
      }
    }
    if (h.length > 0) this.arm();
  };

  private arm(): void {
    const first = this.heap[0];
    if (first.deadline === this.armedFor && this.nodeTimer !== null) return;
    if (this.nodeTimer !== null) clearTimeout(this.nodeTimer);
    this.armedFor = first.deadline;
    // Node turns a delay above 2^31-1 ms (~24.8 days, or Infinity) into 1 ms with a warning: cap it, and the
    // heap re-arms when that much time has passed.
    // Node truncates a fractional delay to whole ms, which would fire before the deadline: round it up.
    const delay = Math.ceil(first.deadline - performance.now());
    this.nodeTimer = setTimeout(this.fire, Math.min(MAX_DELAY_MS, Math.max(0, delay)));
    if (!this.holdsProcess) this.nodeTimer.unref();
  }

  /**
   * From now on sleeping greenlets and pending timeouts do not keep the process alive (the main module has ended:
   * gevent exits then); they still fire while something else (a server, a plain timer) keeps Node running.
   */
  releaseProcess(): void {
    this.holdsProcess = false;
    this.nodeTimer?.unref();
  }

  private disarm(): void {
    if (this.nodeTimer !== null) clearTimeout(this.nodeTimer);
    this.nodeTimer = null;
    this.armedFor = Infinity;
  }

  private less(a: TimerSlot, b: TimerSlot): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    const e = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(e, h[p])) break;
      h[i] = h[p];
      h[i].index = i;
      i = p;
    }
    h[i] = e;
    e.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const e = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], e)) break;
      h[i] = h[c];
      h[i].index = i;
      i = c;
    }
    h[i] = e;
    e.index = i;
  }
}
