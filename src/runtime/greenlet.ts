/**
 * Greenlet: a stack of suspended generator frames that the hub resumes. The fields are kept few and flat
 * (rarely used state lives in `_x`) because 100k blocked greenlets must fit in well under 500 B each.
 */
import { config } from './config.js';
import { GREEN, defineGreenMethods, green, type Green } from './convention.js';
import { Timeout, underTimeout } from './timeout.js';
import { GreenletExit, InvalidSwitchError } from './errors.js';
export { GreenletExit };
import { getHub, getcurrent, mainBodyEnded, reportError, type Hub, thrownIn } from './hub.js';
import { RESUME_DEAD, RESUME_LINKS, RESUME_NONE, RESUME_NEXT, RESUME_THROW } from './resume.js';
import { describeGreenlet, functionName } from './describe.js';
import type { TimerEntry } from './timers.js';
import { keepShape } from './shapes.js';

const NEW = 0;
const STARTED = 1;
const SUCCESS = 2;
const FAILURE = 3;

/** An object that can stand where a link callback goes (AsyncResult): called with the dead greenlet. */
export const LINK_TARGET: unique symbol = Symbol.for('greenlets.linkTarget') as never;
export interface LinkTarget {
  [LINK_TARGET](source: Greenlet<any>): void;
}
export type LinkCallback<T> = ((source: Greenlet<T>) => void) | LinkTarget;

const LINK_RAW = 0;
const LINK_SPAWN = 1;
const LINK_VALUE = 2;
const LINK_EXCEPTION = 3;

/**
 * Marks a rawlink callback of the runtime itself that must run inside the death, before the links are notified
 * at the next turn of the hub: kill()'s wait (gevent's kill returns first, then the links fire).
 */
export const RUN_AT_DEATH: unique symbol = Symbol('greenlets.runAtDeath') as never;

/** Rarely needed per-greenlet state, allocated on first use. */
export interface GreenletExtra {
  name?: string;
  ident?: number;
  runName?: string;
  spawnSite?: string;
  treeLocals?: Record<string | symbol, unknown>;
  startTimer?: TimerEntry | null;
  promise?: Promise<unknown>;
  suspendedAt?: string;
  /** Its values of each greenlets/local Local it touched (dropped when it dies). */
  locals?: WeakMap<object, Record<PropertyKey, unknown>>;
}

/**
 * The generator methods themselves, called with .call(): `gen.next(v)` would look `next` up on each greenlet's
 * generator, whose map is its own generator function's, so with many green functions that lookup goes
 * megamorphic (and is lost whenever a green function's last generator is collected). Measured ~30% faster per
 * resume with eight functions.
 */
const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype as Green<unknown>;
const generatorNext = GeneratorPrototype.next;
const generatorThrow = GeneratorPrototype.throw;

/** The root of a greenlet must be a real generator for generatorNext; a green function whose form is a
 * hand-written iterator (sleep, a queue get: `spawn(q.get)`) is run inside one. */
function* asGenerator<T>(it: Green<T>): Green<T> {
  return yield* it;
}
export function rootGenerator<T>(it: Green<T>): Green<T> {
  return GeneratorPrototype.isPrototypeOf(it) ? it : asGenerator(it);
}

/** `new cls(...args)` for Greenlet.spawn called on `cls`; a detached call (`const sp = Greenlet.spawn`) has no
 * class, and builds a plain Greenlet. */
function constructGreenlet(cls: unknown, args: unknown[]): Greenlet<any> {
  if (typeof cls === 'function' && (cls === Greenlet || cls.prototype instanceof Greenlet)) {
    return new (cls as new (...a: unknown[]) => Greenlet<any>)(...args);
  }
  return new Greenlet(...(args as [any]));
}

let nextIdent = 0;
const EMPTY: unknown[] = [];

/** Live (started, not dead) greenlets, as an intrusive list: formatRunInfo and wait() walk it. */
export const live: { first: Greenlet<any> | null; count: number } = { first: null, count: 0 };

export class Greenlet<T = unknown> implements PromiseLike<T> {
  /** @internal */ _fn: ((...args: any[]) => unknown) | null;
  /** @internal */ _args: unknown[] | null;
  /** @internal */ _gen: Green<T> | null = null;
  /** @internal */ _state = NEW;
  /** @internal */ _pending = RESUME_NONE;
  /** @internal While alive, the value (or error) of the resume queued in `_pending`; once dead, its result
   * (value or error). One field for both keeps a greenlet a word smaller; `_pending` stays DEAD (or LINKS)
   * after death, so no late wake-up can overwrite the result. */
  _resume: unknown = undefined;
  /** @internal Its links: null, one rawlink function on its own (the common case: joinall, a Group, a
   * thenable), or [callback, kind, callback, kind, ...]. */
  _links: unknown[] | ((source: Greenlet<any>) => void) | null = null;
  /** @internal */ _parent: Greenlet<any> | null;
  /** @internal */ _x: GreenletExtra | null = null;
  /** @internal */ _prev: Greenlet<any> | null = null;
  /** @internal */ _next: Greenlet<any> | null = null;

  // run's parameters and the rest have one type: the transform's analysis reads it as args flowing into run.
  constructor(run?: (...args: any[]) => T, ...args: any[]);
  constructor(run?: (...args: any[]) => T) {
    if (run !== undefined && run !== null && typeof run !== 'function') {
      throw new TypeError(`Greenlet needs a function to run; got ${describeValue(run)}`);
    }
    this._fn = run ?? null;
    // `arguments` rather than a rest parameter: no array at all for the usual greenlet without arguments
    this._args = arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : EMPTY;
    // Once the runtime has loaded, the spawner is the current greenlet, the main one (made now if need be) for
    // a program's first spawn; while the modules are still evaluating (the sample below) there is none.
    this._parent = config.trackGreenletTree && (theMainExists || loaded) && new.target !== MainGreenlet ? getcurrent() : null;
    if (config.trackSpawnSites) this._extra().spawnSite = new Error('spawned here').stack;
  }

  /**
   * Create and start a greenlet (gevent's classmethod Greenlet.spawn). Called on a subclass it builds that
   * subclass from the arguments, as gevent's `cls(*args)`: `Worker.spawn(label, delay)` starts
   * `new Worker(label, delay)`.
   */
  static spawn<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Greenlet<R>;
  static spawn<C extends abstract new (...args: any) => Greenlet<any>>(this: C, ...args: ConstructorParameters<C>): InstanceType<C>;
  static spawn(this: unknown, ...args: unknown[]): Greenlet<any> {
    const g = constructGreenlet(this, args);
    g.start();
    return g;
  }

  /** Like spawn, started after `seconds` (on a subclass, an instance of it). */
  static spawnLater<A extends unknown[], R>(seconds: number, fn: (...args: A) => R, ...args: A): Greenlet<R>;
  static spawnLater<C extends abstract new (...args: any) => Greenlet<any>>(
    this: C,
    seconds: number,
    ...args: ConstructorParameters<C>
  ): InstanceType<C>;
  static spawnLater(this: unknown, seconds: number, ...args: unknown[]): Greenlet<any> {
    const g = constructGreenlet(this, args);
    g.startLater(seconds);
    return g;
  }

  /** The function a subclass overrides instead of passing one to the constructor. */
  protected _run(...args: unknown[]): unknown {
    throw new TypeError(`${this.name} has no function to run: pass one to the constructor or override _run()`);
  }

  // ---- blocking methods (installed below with defineGreenMethods) -------------------------------------

  /**
   * Wait until this greenlet has finished, at most `timeout` seconds. Never raises its error (use get()).
   * @blocking
   */
  declare join: (timeout?: number | null) => void;
  /**
   * Its value once finished, or its error thrown; with `block: false` or after `timeout` seconds unfinished,
   * throws Timeout. A Timeout given as `timeout` (gevent) is started around the wait and raises itself.
   * @blocking
   */
  declare get: (options?: { block?: boolean; timeout?: number | null | Timeout }) => T;
  /**
   * Raise `exception` (GreenletExit by default) in it at its suspension point; with `block` (the default)
   * wait until it has finished, at most `timeout` seconds. A greenlet that never started just dies.
   * @blocking
   */
  declare kill: (options?: { exception?: unknown; block?: boolean; timeout?: number | null }) => void;

  // ---- state -------------------------------------------------------------------------------------------

  /** @internal */
  _extra(): GreenletExtra {
    return this._x ?? (this._x = {});
  }

  get name(): string {
    return this._x?.name ?? `Greenlet-${this.minimalIdent}`;
  }
  set name(value: string) {
    this._extra().name = value;
  }

  /** A small integer unique among greenlets, assigned the first time it is asked for. */
  get minimalIdent(): number {
    const x = this._extra();
    return x.ident ?? (x.ident = nextIdent++);
  }

  /** The greenlet that spawned this one (null for the main greenlet or when tree tracking is off). */
  get spawningGreenlet(): Greenlet<any> | null {
    return this._parent;
  }

  /**
   * A dictionary shared by every greenlet of one spawn tree: a greenlet and all its descendants. As in gevent,
   * each greenlet the main greenlet spawns starts a tree of its own.
   */
  get spawnTreeLocals(): Record<string | symbol, unknown> {
    const x = this._extra();
    if (x.treeLocals === undefined) {
      const p = this._parent;
      x.treeLocals = p !== null && !(p instanceof MainGreenlet) ? p.spawnTreeLocals : {};
    }
    return x.treeLocals;
  }

  /** Started (or scheduled to start) and not yet finished. */
  get started(): boolean {
    return this._state === STARTED;
  }
  get dead(): boolean {
    return this._state >= SUCCESS;
  }
  ready(): boolean {
    return this._state >= SUCCESS;
  }
  successful(): boolean {
    return this._state === SUCCESS;
  }
  /** The return value once finished successfully (a GreenletExit if it was killed), else undefined. */
  get value(): T | undefined {
    return this._state === SUCCESS ? (this._resume as T) : undefined;
  }
  /** The error it failed with, else undefined. */
  get exception(): unknown {
    return this._state === FAILURE ? this._resume : undefined;
  }

  /** `<Greenlet "name": fn>` (a subclass shows its own class name), as gevent's repr without the address. */
  toString(): string {
    return describeGreenlet(this);
  }

  // ---- starting ----------------------------------------------------------------------------------------

  start(): void {
    if (this._state !== NEW) return;
    this._begin();
    getHub().schedule(this);
  }

  startLater(seconds: number): void {
    if (this._state !== NEW) return;
    this._begin();
    this._extra().startTimer = getHub().timers.add(seconds, startTimerFired, this);
  }

  /** @internal */
  _begin(): void {
    this._state = STARTED;
    const first = live.first;
    this._next = first;
    if (first !== null) first._prev = this;
    live.first = this;
    live.count++;
  }

  /** @internal Called by the hub to run this greenlet until it next suspends or finishes. */
  _switchIn(hub: Hub): void {
    const mode = this._pending;
    const value = this._resume;
    if (mode === RESUME_NONE) return;
    if (this._state !== STARTED) {
      // Dead, and queued to notify its links (see _queueLinks); any other stale entry is skipped.
      if (mode === RESUME_LINKS) {
        // _pending stays LINKS for the round: a link added meanwhile (a waiter it resumed rawlinking this
        // greenlet again) joins this round, as gevent's _notify_links loops until the list is empty.
        try {
          notifyLinks(this);
        } finally {
          this._pending = RESUME_DEAD;
        }
      }
      return;
    }
    this._pending = RESUME_NONE;
    this._resume = undefined;
    hub.current = this;
    let gen = this._gen;
    if (gen === null) {
      if (mode === RESUME_THROW) return this._die(value, true);
      gen = this._startGenerator();
      if (gen === null) return;
    }
    let r: IteratorResult<unknown, T>;
    try {
      r = (mode === RESUME_THROW ? generatorThrow.call(gen, value) : generatorNext.call(gen, value)) as IteratorResult<unknown, T>;
    } catch (e) {
      return this._die(e, true);
    }
    if (r.done) this._die(r.value, false);
  }

  /** Begin running: the generator form of a green function, or a plain function run to completion here. */
  private _startGenerator(): Green<T> | null {
    const fn = this._fn;
    const args = this._args ?? EMPTY;
    this._args = null;
    const target: any = fn ?? this._run;
    const thisArg = fn === null ? this : undefined;
    const g = target[GREEN];
    try {
      if (g !== undefined) return (this._gen = rootGenerator(g.apply(thisArg, args)));
      this._die(target.apply(thisArg, args), false);
    } catch (e) {
      this._die(e, true);
    }
    return null;
  }

  /** @internal */
  _die(result: unknown, threw: boolean): void {
    if (this._state >= SUCCESS) return;
    if (threw && result instanceof GreenletExit) threw = false;
    this._state = threw ? FAILURE : SUCCESS;
    this._resume = result;
    this._pending = RESUME_DEAD;
    this._gen = null;
    this._args = null;
    if (this._x !== null) this._x.locals = undefined;
    // _fn is kept (a reference, no allocation) so reports and toString can still name what it ran.
    const prev = this._prev;
    const next = this._next;
    if (prev !== null) prev._next = next;
    else if (live.first === this) live.first = next;
    if (next !== null) next._prev = prev;
    this._prev = this._next = null;
    live.count--;
    // Links first, so a report that fails in a user's handleError cannot keep them from firing.
    if (this._links !== null) {
      this._runAtDeath();
      if (this._hasLinks()) this._queueLinks();
    }
    if (threw) reportError(getHub(), this, result);
  }

  /** Call (and remove) the RUN_AT_DEATH rawlinks now; the others wait for the hub. */
  private _runAtDeath(): void {
    const links = this._links;
    if (typeof links === 'function') {
      if ((links as any)[RUN_AT_DEATH] === true) {
        this._links = null;
        links(this);
      }
      return;
    }
    if (links === null) return;
    for (let i = 0; i < links.length; i += 2) {
      const cb = links[i] as any;
      if (links[i + 1] === LINK_RAW && typeof cb === 'function' && cb[RUN_AT_DEATH] === true) {
        links.splice(i, 2);
        i -= 2;
        cb(this);
      }
    }
  }

  /** @internal Notify the links from the hub, after what is queued now: the dead greenlet itself goes in the
   * ready queue (no callback object per death). */
  _queueLinks(): void {
    if (this._pending === RESUME_LINKS) return;
    this._pending = RESUME_LINKS;
    getHub()._queue(this);
  }

  // ---- links -------------------------------------------------------------------------------------------

  /** Call `callback(this)` in a new greenlet when this one dies (gevent's link). */
  link(callback: LinkCallback<T>): void {
    this._addLink(callback, LINK_SPAWN);
  }
  linkValue(callback: LinkCallback<T>): void {
    this._addLink(callback, LINK_VALUE);
  }
  linkException(callback: LinkCallback<T>): void {
    this._addLink(callback, LINK_EXCEPTION);
  }
  /** Call `callback(this)` directly from the hub when this one dies: it must not block. */
  rawlink(callback: LinkCallback<T>): void {
    this._addLink(callback, LINK_RAW);
  }
  unlink(callback: LinkCallback<T>): void {
    const links = this._links;
    if (links === null) return;
    if (typeof links === 'function') {
      if (links === callback) this._links = null;
      return;
    }
    for (let i = 0; i < links.length; i += 2) {
      if (links[i] === callback) {
        links.splice(i, 2);
        return;
      }
    }
  }
  /** @internal */
  _hasLinks(): boolean {
    const links = this._links;
    return links !== null && (typeof links === 'function' || links.length > 0);
  }

  private _addLink(callback: LinkCallback<T>, kind: number): void {
    if (typeof callback !== 'function' && !(callback && typeof (callback as any)[LINK_TARGET] === 'function')) {
      throw new TypeError(`link() needs a function or a link target such as AsyncResult; got ${describeValue(callback)}`);
    }
    const links = this._links;
    const wasEmpty = !this._hasLinks();
    if (links === null && kind === LINK_RAW && typeof callback === 'function') this._links = callback;
    else if (links === null) this._links = [callback, kind];
    else if (typeof links === 'function') this._links = [links, LINK_RAW, callback, kind];
    else links.push(callback, kind);
    if (wasEmpty && this._state >= SUCCESS) this._queueLinks();
  }


  // ---- promise interop ---------------------------------------------------------------------------------

  /** Greenlets are thenables: `await g` gives its value or rejects with its exception. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const x = this._extra();
    if (x.promise === undefined) {
      x.promise = new Promise((resolve, reject) => {
        this.rawlink((g) => (g.successful() ? resolve(g.value) : reject(g.exception)));
      });
    }
    return (x.promise as Promise<T>).then(onfulfilled, onrejected);
  }
}

function startTimerFired(g: Greenlet<any>): void {
  if (g._x !== null) g._x.startTimer = null;
  getHub().schedule(g);
}

/**
 * Fire the links of a dead greenlet, from the hub. As in gevent, links are taken one at a time from the front,
 * so a callback may unlink a later one (which then never fires) or add a new one (which does), and a `link()`
 * callback starts at once in its own greenlet, running until it first blocks before the next link fires.
 */
function notifyLinks(g: Greenlet<any>): void {
  const hub = getHub();
  let links = g._links;
  // A lone rawlink function; a link it adds is notified next.
  while (typeof links === 'function') {
    g._links = null;
    callLink(hub, g, links, undefined);
    links = g._links;
  }
  if (links === null) return;
  const ok = g._state === SUCCESS;
  while (links.length > 0) {
    const cb = links.shift() as LinkCallback<any>;
    const kind = links.shift() as number;
    if ((kind === LINK_VALUE && !ok) || (kind === LINK_EXCEPTION && ok)) continue;
    if (typeof cb !== 'function') {
      callLink(hub, g, cb[LINK_TARGET], cb);
    } else if (kind === LINK_RAW) {
      callLink(hub, g, cb, undefined);
    } else {
      const lg = new Greenlet(cb, g);
      lg._begin();
      hub.resumeNow(lg, undefined);
    }
  }
  if (g._links === links) g._links = null;
  else if (g._links !== null) notifyLinks(g); // replaced meanwhile (unlinked to empty, then linked again)
}

function callLink(hub: Hub, g: Greenlet<any>, fn: (source: Greenlet<any>) => void, thisArg: unknown): void {
  try {
    fn.call(thisArg, g);
  } catch (e) {
    reportError(hub, `the rawlink callback ${functionName(fn)} of ${g}`, e);
  }
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

let theMainExists = false;
/** greenlet.ts has been evaluated: a Greenlet made from now on may create the hub to learn its spawner. */
let loaded = false;

/**
 * The main greenlet: runs the blocking top-level code of modules (the transform wraps such a module body in
 * runMain). It never dies; each body it runs settles the promise runMain returned.
 */
export class MainGreenlet extends Greenlet<unknown> {
  /** @internal */ _settle: { resolve(v: unknown): void; reject(e: unknown): void } | null = null;

  constructor() {
    super();
    this._state = STARTED;
    this._parent = null;
    if (this._x !== null) this._x.spawnSite = undefined; // created with the hub: its "spawn site" means nothing
    this.name = 'MainGreenlet';
    this._extra().runName = 'main';
    theMainExists = true;
  }

  override _switchIn(hub: Hub): void {
    const mode = this._pending;
    const value = this._resume;
    if (mode === RESUME_NONE) return;
    this._pending = RESUME_NONE;
    this._resume = undefined;
    const gen = this._gen;
    if (gen === null) return;
    hub.current = this;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = mode === RESUME_THROW ? generatorThrow.call(gen, value) : generatorNext.call(gen, value);
    } catch (e) {
      this._finishBody(e, true);
      return;
    }
    if (r.done) this._finishBody(r.value, false);
  }

  private _finishBody(v: unknown, threw: boolean): void {
    const settle = this._settle!;
    this._gen = null;
    this._settle = null;
    mainBodyEnded(getHub());
    if (threw) settle.reject(v);
    else settle.resolve(v);
  }
}

/**
 * Run blocking top-level code in the main greenlet. The transform emits `await runMain(function* () {...})`
 * for a module whose top level may block, so ES module evaluation order is kept: importers wait for it.
 */
export function runMain<R>(body: () => Green<R>): Promise<R> {
  const hub = getHub();
  const main = hub.main;
  if (main._gen !== null) {
    // Main is busy with another module's body (a dynamic import from blocking code): run this one beside it.
    const g = new Greenlet<R>(green(body as never, 'module body'));
    g.start();
    return Promise.resolve(g);
  }
  return new Promise<R>((resolve, reject) => {
    main._gen = rootGenerator(body() as Green<unknown>) as never;
    main._settle = { resolve: resolve as (v: unknown) => void, reject };
    if (hub.running) {
      // Called from a greenlet or a hub callback (a dynamic import): main must wait for its turn.
      hub.schedule(main);
    } else {
      // The module's own code goes on at once, as gevent's main greenlet does: greenlets its plain part spawned
      // run when it first blocks, not before it.
      main._pending = RESUME_NEXT;
      main._switchIn(hub);
    }
  });
}

export function assertNotSelf(g: Greenlet<any>, what: string): void {
  if (getcurrent() === g) throw new InvalidSwitchError(`${g.name} cannot ${what} itself: it would wait forever`);
}

/**
 * kill()'s wait: resumed as the victim dies, before its links are notified (gevent's kill returns from its waiter
 * first, and the links fire at the next turn of the hub).
 */
function* waitForDeath(g: Greenlet<any>, timeout: number | null | undefined): Green<void> {
  if (g.dead) return;
  const hub = getHub();
  const cur = hub.current;
  const wake = Object.assign(() => hub.schedule(cur), { [RUN_AT_DEATH]: true as const });
  g.rawlink(wake);
  const t = timeout != null ? hub.timers.add(timeout, wakeJoiner, cur) : null;
  if (hub.monitoring) hub.noteSuspend();
  try {
    yield;
  } catch (e) {
    thrownIn(e);
    throw e;
  } finally {
    g.unlink(wake);
    if (t !== null) hub.timers.cancel(t);
  }
}

/**
 * @internal A waiter that a link wakes (join, iwait) runs at once, in the middle of the notification, as gevent's
 * hub switches into it there: the links after it fire once it blocks again, and a link added meanwhile to the
 * greenlet being notified fires in this same round, before notifications queued since. One that already has a
 * resume queued (a Timeout, a kill) keeps that one.
 */
export function resumeFromLink(hub: Hub, g: Greenlet<any>): void {
  if (g._pending !== RESUME_NONE) return;
  hub.resumeNow(g, undefined);
}

function wakeJoiner(g: Greenlet<any>): void {
  getHub().schedule(g);
}

/** Make the error to raise from `kill({exception})`: an instance as given, a class instantiated. */
export function killError(exception: unknown): unknown {
  if (exception === undefined) return new GreenletExit();
  if (typeof exception === 'function') return new (exception as new () => unknown)();
  return exception;
}

defineGreenMethods(Greenlet, {
  *join(this: Greenlet<any>, timeout?: number | null) {
    if (this._state >= SUCCESS) return;
    assertNotSelf(this, 'join');
    const hub = getHub();
    const cur = hub.current;
    const wake = () => resumeFromLink(hub, cur);
    this.rawlink(wake);
    const t = timeout != null ? hub.timers.add(timeout, wakeJoiner, cur) : null;
    if (hub.monitoring) hub.noteSuspend();
    try {
      yield;
    } catch (e) {
      thrownIn(e);
      throw e;
    } finally {
      this.unlink(wake);
      if (t !== null) hub.timers.cancel(t);
    }
  },
  *get(this: Greenlet<any>, options?: { block?: boolean; timeout?: number | null | Timeout }) {
    if (this._state < SUCCESS) {
      if (options?.block === false) throw new Timeout(0);
      const timeout = options?.timeout;
      const join = (this.join as any)[GREEN];
      if (timeout instanceof Timeout) yield* underTimeout(timeout, join.call(this, null));
      else yield* join.call(this, timeout);
      if (this._state < SUCCESS) throw new Timeout(typeof timeout === 'number' ? timeout : null);
    }
    if (this._state === FAILURE) throw this._resume;
    return this._resume;
  },
  *kill(this: Greenlet<any>, options?: { exception?: unknown; block?: boolean; timeout?: number | null }) {
    if (this._state >= SUCCESS) return;
    const error = killError(options?.exception);
    if (this._state === NEW || (this._gen === null && this !== getcurrent())) {
      // Never ran: cancel the start and die now; links still fire once.
      const st = this._x?.startTimer;
      if (st) getHub().timers.cancel(st);
      if (this._state === NEW) this._begin();
      this._pending = RESUME_NONE;
      this._die(error, true);
      return;
    }
    if (this === getcurrent()) throw error;
    getHub().scheduleThrow(this, error);
    if (options?.block !== false) yield* waitForDeath(this, options?.timeout);
  },
});

// The map of plain greenlets survives a full GC with none alive (shapes.ts). Made without a spawner.
keepShape(new Greenlet(() => undefined));
loaded = true;
