/**
 * The hub: runs greenlets from a FIFO ready queue on Node's own event loop. A wake-up enqueues; the queue is
 * drained in a microtask, synchronously, until it is empty or the switch interval (5 ms, gevent's) has passed,
 * and the rest continues after Node has polled I/O (setImmediate). A switch is therefore one generator
 * resume plus a ring-buffer push and shift: no promise, no microtask per switch.
 */
import { config, monitorEnabled, onMonitorConfigChange } from './config.js';
import { LoopExit } from './errors.js';
import { TimerHeap } from './timers.js';
import { keepShape } from './shapes.js';
import type { Greenlet } from './greenlet.js';
import { MainGreenlet } from './greenlet.js';
import { describeGreenlet, formatError, formatFailure, spawnSite, userFrame, userFrames } from './describe.js';

/** Anything the hub can run from its ready queue: a greenlet (resumed) or a callback. */
export interface Runnable {
  _switchIn(hub: Hub): void;
}

import { RESUME_DEAD, RESUME_LINKS, RESUME_NEXT, RESUME_NONE, RESUME_THROW } from './resume.js';
export { RESUME_DEAD, RESUME_LINKS, RESUME_NEXT, RESUME_NONE, RESUME_THROW };

/** What the hub resumes a main greenlet waiting in wait() (no objects) with once the loop has nothing to do. */
export const LOOP_FINISHED: unique symbol = Symbol('the loop finished') as never;

class Callback implements Runnable {
  constructor(
    private readonly fn: (arg: any) => void,
    private readonly arg: unknown,
  ) {}
  _switchIn(hub: Hub): void {
    hub.current = hub.main;
    try {
      this.fn(this.arg);
    } catch (e) {
      reportError(hub, null, e);
    }
  }

  /** The function it calls, for the blocking monitor's report. */
  get fnName(): string {
    return this.fn.name || '<anonymous>';
  }
}

/**
 * Call `hub.handleError`, which a user may have replaced: if it throws (or its stream does), the hub must go
 * on, so the failure is written to stderr as a last resort (gevent: an exception in a custom handle_error does
 * not crash the hub).
 */
export function reportError(hub: Hub, context: Greenlet<any> | string | null, error: unknown): void {
  try {
    hub.handleError(context, error);
  } catch (e) {
    try {
      process.stderr.write(`greenlets: hub.handleError failed (${formatError(e)})\nwhile reporting: ${formatError(error)}\n`);
    } catch {
      // stderr itself is gone: nothing left to tell
    }
  }
}

export class Hub {
  /** The greenlet that is running; the main greenlet outside any greenlet. */
  current!: Greenlet<any>;
  readonly main: MainGreenlet;
  readonly timers = new TimerHeap();
  /** Where uncaught greenlet errors and monitor reports are written (gevent's exception_stream). */
  exceptionStream: { write(s: string): unknown } | null = process.stderr;
  /** Seconds the hub runs ready greenlets before it lets Node poll I/O (gevent's switch interval). */
  switchInterval = 0.005;
  /** True while the blocking monitor is on (config.maxBlockingTime set); primitives then record where they
   * suspend. Follows config changes made at run time. */
  monitoring: boolean;

  private ring: (Runnable | undefined)[] = new Array(1024);
  private head = 0;
  private count = 0;
  /** A drain is running, or queued (microtask or setImmediate): a push need not queue another. */
  private armed = false;
  private draining = false;
  private idlers: Array<() => void> = [];
  private idleScheduled = false;
  /**
   * What was ready when the main greenlet finished a module body, held out of the ring until the hub next drains.
   * gevent's program ends when its main greenlet returns, so the greenlets still ready then never run; here the
   * entry module's end reaches the hub in microtasks after its body (MAIN_MODULE_ENDED), so they must wait for it.
   */
  private parked: Runnable[] | null = null;
  /** The setImmediate that drains the parked runnables when the program goes on (the next module's body). */
  private parkedDrain: ReturnType<typeof setImmediate> | null = null;
  /** The main module has ended and main is idle (_releaseProcess has run). */
  private exiting = false;
  /** The main module has just ended: the hub runs nothing until Node's loop is known to go on (_releaseProcess). */
  private holding = false;

  constructor() {
    this.main = new MainGreenlet();
    this.current = this.main;
    this.monitoring = monitorEnabled();
    onMonitorConfigChange(() => {
      this.monitoring = monitorEnabled();
    });
    process.on('beforeExit', this.onBeforeExit);
    if (mainModuleEnded && this.main._gen === null) this._releaseProcess();
  }

  /** @internal The main module has ended and main is idle: sleeping and ready greenlets alone do not keep the
   * process alive (as in gevent, whose program ends with its main greenlet). */
  _releaseProcess(): void {
    if (this.exiting) return;
    this.exiting = true;
    this.timers.releaseProcess();
    if (this.parkedDrain !== null) clearImmediate(this.parkedDrain);
    this.parkedDrain = null;
    // Nothing the hub holds may run until Node's loop is known to turn again, which it does only if something
    // else (a server, a Node timer) holds the process. Node runs the immediates queued in this turn, and at the
    // turn's end the timers that are due, whether or not anything holds it; an immediate queued from an immediate
    // runs in the next turn only. That one marks the next turn; a timer (unref'd, so it holds nothing) ends the
    // hold once it has. Greenlets are not run from the immediates themselves: Node does not arm a timer made in
    // the callback of an unref'd immediate (sleep() there would not wake).
    this.holding = true;
    let nextTurn = false;
    setImmediate(() => {
      setImmediate(() => {
        nextTurn = true;
      }).unref();
    }).unref();
    const endHold = (): void => {
      if (!nextTurn) {
        setTimeout(endHold, 1).unref();
        return;
      }
      this.holding = false;
      this.drain();
    };
    setTimeout(endHold, 1).unref();
  }

  /** @internal The main greenlet finished a module body (before its promise settles): hold back what is ready. */
  _parkReady(): void {
    if (this.count === 0) return;
    this.parked = this.takeRing(this.parked ?? []);
    if (this.parkedDrain === null && !this.holding) this.parkedDrain = setImmediate(this.drain);
  }

  /** Move everything queued in the ring, in order, to the end of `into`, leaving the ring empty. */
  private takeRing(into: Runnable[]): Runnable[] {
    const ring = this.ring;
    const mask = ring.length - 1;
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) & mask;
      into.push(ring[at]!);
      ring[at] = undefined;
    }
    this.head = 0;
    this.count = 0;
    return into;
  }

  /** Put the parked runnables back at the front of the ring, ahead of anything queued since. */
  private unpark(): void {
    const held = this.parked!;
    this.parked = null;
    if (this.parkedDrain !== null) clearImmediate(this.parkedDrain);
    this.parkedDrain = null;
    for (const r of this.takeRing(held)) this.push(r);
    this.armed = true;
  }

  get pendingCount(): number {
    return this.count;
  }

  /** True while the hub is running greenlets or callbacks (a drain is on the stack). */
  get running(): boolean {
    return this.draining;
  }

  /** Resume `g` with `value` from its suspension point; ignored if a resume is already pending. */
  schedule(g: Greenlet<any>, value?: unknown): void {
    if (g._pending !== RESUME_NONE) return;
    g._pending = RESUME_NEXT;
    g._resume = value;
    this.push(g);
  }

  /** Raise `error` in `g` at its suspension point; overrides a pending ordinary resume (kill, Timeout). */
  scheduleThrow(g: Greenlet<any>, error: unknown): void {
    if (g._pending === RESUME_THROW || g._pending >= RESUME_LINKS) return;
    const queued = g._pending === RESUME_NEXT;
    g._pending = RESUME_THROW;
    g._resume = error;
    if (!queued) this.push(g);
  }

  /**
   * @internal Resume `g` with `value` now, from a hub callback (what gevent's hub does with greenlet.switch):
   * a link greenlet starting, a queue serving its waiters in turn. Runs it until it suspends or dies, then the
   * callback goes on. Timed on its own by the monitor.
   */
  resumeNow(g: Greenlet<any>, value: unknown): void {
    g._pending = RESUME_NEXT;
    g._resume = value;
    if (!this.monitoring) {
      g._switchIn(this);
    } else {
      const resumedAt = g._x?.suspendedAt;
      const t0 = performance.now();
      g._switchIn(this);
      const dt = performance.now() - t0;
      this.nestedMs += dt;
      if (dt > (config.maxBlockingTime ?? Infinity) * 1000) this.reportBlocking(g, dt / 1000, resumedAt);
    }
    this.current = this.main;
  }

  /** Time spent in resumeNow during the entry the monitor is timing. */
  private nestedMs = 0;

  /** @internal Queue a runnable that decides for itself what to do when it runs. */
  _queue(r: Runnable): void {
    this.push(r);
  }

  /** Run `fn(arg)` from the hub, after what is already queued (gevent's loop.run_callback). */
  runCallback<A>(fn: (arg: A) => void, arg?: A): void {
    this.push(new Callback(fn, arg));
  }

  /** Resolves `fn` once nothing else is ready to run (gevent's idle()). */
  onIdle(fn: () => void): void {
    this.idlers.push(fn);
    if (this.count === 0 && !this.draining) this.scheduleIdle();
  }

  offIdle(fn: () => void): void {
    const i = this.idlers.indexOf(fn);
    if (i >= 0) this.idlers.splice(i, 1);
  }

  /**
   * Report an error nobody will catch: a greenlet that died with it (`<Greenlet "name" at file:line> failed
   * with` and the stack; with config.trackSpawnSites also where it was spawned), or a callback run by the hub
   * that threw (context: what it was, or null). Writes to exceptionStream; may be replaced, as gevent's
   * hub.handle_error.
   */
  handleError(context: Greenlet<any> | string | null, error: unknown): void {
    const out = this.exceptionStream;
    if (out === null) return;
    if (context !== null && typeof context === 'object') out.write(formatFailure(context, error));
    else out.write(`greenlets: ${context ?? 'a hub callback'} failed with ${formatError(error)}\n`);
  }

  /** Record where the current greenlet suspends, for the blocking monitor's report. */
  noteSuspend(): void {
    const g = this.current;
    g._extra().suspendedAt = new Error('suspended here').stack;
  }

  private push(r: Runnable): void {
    let ring = this.ring;
    const count = this.count;
    if (count === ring.length) ring = this.grow();
    ring[(this.head + count) & (ring.length - 1)] = r;
    this.count = count + 1;
    if (!this.armed) {
      this.armed = true;
      queueMicrotask(this.drain);
    }
  }

  private grow(): (Runnable | undefined)[] {
    const old = this.ring;
    const next = new Array<Runnable | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = next;
    this.head = 0;
    return next;
  }

  private drain = (): void => {
    if (this.draining || this.holding) return;
    if (this.parked !== null) this.unpark();
    this.draining = true;
    this.timers.nextBatch();
    try {
      this.run();
    } finally {
      this.current = this.main;
      this.draining = false;
    }
    if (this.count > 0) {
      // armed stays true: the rest of the queue runs after Node has polled I/O and run its timers
      setImmediate(this.drain);
    } else {
      this.armed = false;
      if (this.idlers.length > 0) this.scheduleIdle();
    }
  };

  private run(): void {
    const limit = performance.now() + this.switchInterval * 1000;
    let n = 0;
    while (this.count > 0) {
      // The monitor can be turned on by a greenlet of this very batch (config.maxBlockingTime): one field load.
      if (this.monitoring) return this.runMonitored();
      const ring = this.ring;
      const r = ring[this.head]!;
      ring[this.head] = undefined;
      this.head = (this.head + 1) & (ring.length - 1);
      this.count--;
      r._switchIn(this);
      if ((++n & 63) === 0 && performance.now() > limit) return;
    }
  }

  /** The same loop, timing every switch: gevent's max_blocking_time monitor without a thread, since a greenlet
   * can only hold the loop between two of its own suspensions. */
  private runMonitored(): void {
    const maxMs = (config.maxBlockingTime ?? Infinity) * 1000;
    const limit = performance.now() + this.switchInterval * 1000;
    while (this.count > 0) {
      const ring = this.ring;
      const r = ring[this.head]!;
      ring[this.head] = undefined;
      this.head = (this.head + 1) & (ring.length - 1);
      this.count--;
      const resumedAt = (r as Greenlet<any>)._x?.suspendedAt;
      this.nestedMs = 0;
      const t0 = performance.now();
      r._switchIn(this);
      const t1 = performance.now();
      // Greenlets this entry resumed itself (resumeNow) were timed and reported on their own.
      const held = t1 - t0 - this.nestedMs;
      if (held > maxMs) this.reportBlocking(r, held / 1000, resumedAt);
      if (t1 > limit) return;
    }
  }

  /** gevent's "appears to be blocked" report, with the source lines a greenlet ran between (design §6). */
  private reportBlocking(r: Runnable, seconds: number, resumedAt: string | undefined): void {
    const out = this.exceptionStream;
    if (out === null) return;
    let who: string;
    let detail = '';
    if (r instanceof Callback) {
      who = `the hub callback ${r.fnName}()`;
    } else if (!('_gen' in r)) {
      who = `the hub's work for ${String(r)}`;
    } else {
      const g = r as Greenlet<any>;
      const at = userFrame(resumedAt);
      who = `Greenlet ${describeGreenlet(g, at ?? spawnSite(g))}`;
      detail = resumedAt
        ? `\n  it was resumed at (where it had suspended):\n${userFrames(resumedAt)}`
        : '\n  it ran from its start (it had not suspended before)';
      const next = g._x?.suspendedAt;
      if (g.dead) detail += '\n  until it finished';
      else if (next !== undefined && next !== resumedAt) detail += `\n  until it suspended again at:\n${userFrames(next)}`;
    }
    out.write(
      `greenlets: ${who} appears to be blocked: it held the event loop for ${seconds.toFixed(3)} seconds ` +
        `without yielding (config.maxBlockingTime = ${config.maxBlockingTime})${detail}\n`,
    );
  }

  private scheduleIdle(): void {
    if (this.idleScheduled) return;
    this.idleScheduled = true;
    setImmediate(() => {
      this.idleScheduled = false;
      if (this.count > 0 || this.draining) {
        if (this.idlers.length > 0) this.scheduleIdle();
        return;
      }
      const idlers = this.idlers;
      this.idlers = [];
      for (const fn of idlers) fn();
    });
  }

  /** @internal The main greenlet is in wait() with no objects: the loop's end is what it waits for. */
  _loopJoiner = false;

  private onBeforeExit = (): void => {
    // Node's loop is empty: nothing can wake a suspended main greenlet any more (gevent's LoopExit).
    const main = this.main;
    if (main._gen !== null && main._pending === RESUME_NONE) {
      if (this._loopJoiner) this.schedule(main, LOOP_FINISHED);
      else {
        unplacedLoopExit = new LoopExit('This operation would block forever: nothing left can wake the main greenlet');
        this.scheduleThrow(main, unplacedLoopExit);
      }
      // Main may catch it and block again with nothing to wake it: Node emits beforeExit again only if the loop
      // came alive meanwhile (the throw runs in a microtask, which does not count), and gevent raises LoopExit
      // at every such call, so keep the loop alive for one more turn.
      setImmediate(noop);
    }
  };
}

keepShape(new Callback(() => undefined, undefined)); // shapes.ts

/** The LoopExit being thrown into main, until the suspension point it arrives at gives it main's frames. */
let unplacedLoopExit: LoopExit | null = null;

/**
 * @internal Called by a blocking primitive where an error thrown into its suspended greenlet arrives (a catch
 * around its suspension), while that greenlet's frames are on the stack again. The hub's LoopExit was made in
 * Node's beforeExit, with only the hub's frames; here it takes the frames outside the runtime instead, so the
 * user's blocking call is on top. Any other error is left as it is.
 */
export function thrownIn(error: unknown): void {
  const loopExit = unplacedLoopExit;
  if (error !== loopExit || loopExit === null) return;
  unplacedLoopExit = null;
  const limit = Error.stackTraceLimit;
  const here: { stack?: string } = {};
  try {
    // every green call level costs a frame or two of V8's generator resumes, which the filter drops
    Error.stackTraceLimit = 100;
    Error.captureStackTrace(here, thrownIn);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frames = userFrames(here.stack, limit);
  if (frames !== '') loopExit.stack = `${loopExit.name}: ${loopExit.message}\n${frames}`;
}

function noop(): void {}

/**
 * The process event `greenlets run` emits when the program's main module has finished (where gevent's interpreter
 * exits): an event on `process` reaches whichever copy of the runtime the program loaded.
 */
export const MAIN_MODULE_ENDED = 'greenlets:main-module-ended';
let mainModuleEnded = false;
process.once(MAIN_MODULE_ENDED, () => {
  mainModuleEnded = true;
  // A CommonJS entry cannot await its blocking top-level code: main's body may still be running. Then the
  // process is released when that body ends (mainBodyEnded).
  if (theHub !== null && theHub.main._gen === null) theHub._releaseProcess();
});

/** The main greenlet finished a module body: if the main module has already ended, nothing holds the process. */
export function mainBodyEnded(hub: Hub): void {
  hub._parkReady();
  if (mainModuleEnded) hub._releaseProcess();
}

let theHub: Hub | null = null;

export function getHub(): Hub {
  return theHub ?? (theHub = new Hub());
}

/** The running greenlet (gevent's getcurrent): the main greenlet outside any spawned one. */
export function getcurrent(): Greenlet<any> {
  return (theHub ?? getHub()).current;
}
