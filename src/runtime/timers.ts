/**
 * The hub's timers: one indexed binary heap behind a single Node timer. A Node Timeout object per sleeping
 * greenlet would cost ~200 B and a libuv re-arm each; here a sleeper costs one small entry, cancellation is
 * O(log n) and removes the entry at once (withTimeout in a loop leaves no garbage behind).
 */
import { keepShape } from './shapes.js';

export class TimerEntry {
  /** Position in the heap, or -1 when not scheduled. */
  index = -1;
  constructor(
    public deadline: number,
    public readonly seq: number,
    public callback: (arg: any) => void,
    public arg: unknown,
  ) {}
}

keepShape(new TimerEntry(0, 0, () => undefined, null)); // shapes.ts

const MAX_DELAY_MS = 2 ** 31 - 1;

export class TimerHeap {
  private heap: TimerEntry[] = [];
  private seq = 0;
  private nodeTimer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private holdsProcess = true;

  get size(): number {
    return this.heap.length;
  }

  /** Run `callback(arg)` after `seconds` (from the Node loop, never inside a greenlet). */
  add(seconds: number, callback: (arg: any) => void, arg?: unknown): TimerEntry {
    const ms = seconds > 0 ? seconds * 1000 : 0;
    const e = new TimerEntry(performance.now() + ms, this.seq++, callback, arg);
    const h = this.heap;
    e.index = h.length;
    h.push(e);
    this.up(e.index);
    if (e.index === 0) this.arm();
    return e;
  }

  cancel(e: TimerEntry): void {
    const i = e.index;
    if (i < 0) return;
    const h = this.heap;
    const last = h.pop()!;
    e.index = -1;
    if (last !== e) {
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
    // Only entries whose time has come: gevent never ends a sleep early (its sleep updates libev's clock first),
    // and a greenlet woken early would start its next sleep early too, ending it before one that was due first.
    // Node can still fire a little early (libuv measures from its cached loop time); arm() then waits the rest.
    const now = performance.now();
    while (h.length > 0 && h[0].deadline <= now) {
      const e = h[0];
      this.cancel(e);
      e.callback(e.arg);
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

  private less(a: TimerEntry, b: TimerEntry): boolean {
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
