/**
 * Group (gevent.pool.Group): a set of running greenlets that can be joined or killed together. A member leaves
 * by itself when it dies (a rawlink). Pool (pool.ts) is a Group with a bound on its size.
 *
 * The methods that can block in a Pool (add, start, spawn, waitAvailable) are green here too, so that code
 * holding a `Group` that is really a Pool is treated as blocking by the analysis.
 */
import { GREEN, callDynamic, defineGreenMethods, green, greenIterator, type Green } from './convention.js';
import { getcurrent } from './hub.js';
import { Greenlet, killError } from './greenlet.js';
import { Timeout } from './timeout.js';
import { joinall } from './waiting.js';
import { WaitList } from './poolwaiters.js';
import { IMap, type IMapOptions } from './imap.js';

export interface GroupJoinOptions {
  /** Give up after this many seconds (join then returns false). */
  timeout?: number | null;
  /** Throw the error of a greenlet that was a member when join was called and failed. */
  raiseError?: boolean;
}

export interface GroupKillOptions {
  /** What to raise in each member: an error instance, or a class to instantiate per greenlet (GreenletExit). */
  exception?: unknown;
  /** Wait until the members have died (default true). */
  block?: boolean;
  /** Stop waiting after this many seconds; kill() then returns quietly, as gevent's does. */
  timeout?: number | null;
}

export interface AddOptions {
  /** Pool only: wait for a free slot (default true); false throws PoolFull at once when there is none. */
  blocking?: boolean;
  /** Pool only: throw PoolFull if no slot is free after this many seconds. */
  timeout?: number | null;
}

/** What a group creates in spawn(): Greenlet or a subclass (gevent's greenlet_class). */
export type GreenletClass = new (run?: (...args: any[]) => any, ...args: any[]) => Greenlet<any>;

const EMPTY: unknown[] = [];

export class Group implements Iterable<Greenlet<any>> {
  /** The class spawn() instantiates; may be changed on an instance or in a subclass. */
  greenletClass: GreenletClass = Greenlet;

  /** @internal */ readonly _members = new Set<Greenlet<any>>();
  /** @internal Members already sent a kill, so a repeated kill() does not raise in them twice. */
  readonly _dying = new Set<Greenlet<any>>();
  /** @internal Counts the times the group became empty: join() waits for it to change ("empty at least once"). */
  _emptied = 0;
  /** @internal */ readonly _joiners = new WaitList();
  /** One bound function per group, so unlink() can find it again. */
  private readonly _onDeath = (g: Greenlet<any>): void => this._discard(g);

  constructor(greenlets?: Iterable<Greenlet<any>>) {
    if (greenlets != null) for (const g of greenlets) this._track(g);
  }

  // ---- membership --------------------------------------------------------------------------------------

  /** How many greenlets the group tracks (gevent's len(group)). */
  get size(): number {
    return this._members.size;
  }

  has(greenlet: Greenlet<any>): boolean {
    return this._members.has(greenlet);
  }

  /** The members, in the order they were added. */
  [Symbol.iterator](): Iterator<Greenlet<any>> {
    return this._members.values();
  }

  /** Stop tracking `greenlet` (it keeps running); in a Pool its slot becomes free. */
  discard(greenlet: Greenlet<any>): void {
    this._discard(greenlet);
    greenlet.unlink(this._onDeath);
  }

  /** Whether add() would block: never for a Group. */
  full(): boolean {
    return false;
  }

  toString(): string {
    return `<${this.constructor.name} of ${this._members.size} greenlet${this._members.size === 1 ? '' : 's'}>`;
  }

  /** @internal Start tracking; adding a member twice is a no-op (gevent would take a second Pool slot). */
  _track(greenlet: Greenlet<any>): void {
    if (!(greenlet instanceof Greenlet)) {
      throw new TypeError(`A ${this.constructor.name} holds greenlets; got ${String(greenlet)}. Use spawn(fn) to run a function in it.`);
    }
    if (this._members.has(greenlet)) return;
    greenlet.rawlink(this._onDeath);
    this._members.add(greenlet);
  }

  /** @internal Stop tracking; called from the member's death link, from discard() and from kill(). */
  _discard(greenlet: Greenlet<any>): void {
    if (!this._members.delete(greenlet)) return;
    this._dying.delete(greenlet);
    this._left();
    if (this._members.size === 0) {
      this._emptied++;
      this._joiners.wakeAll();
    }
  }

  /** @internal A member left: Pool wakes a greenlet waiting for a slot. */
  _left(): void {}

  // ---- blocking methods (installed below with defineGreenMethods) -----------------------------------------

  /**
   * Track `greenlet` (not yet started, preferably: in a Pool this may wait for a slot, and a started greenlet
   * could finish meanwhile). Never blocks in a Group; in a Pool see Pool's options.
   * @blocking
   */
  declare add: (greenlet: Greenlet<any>, options?: AddOptions) => void;
  /**
   * add() the unstarted `greenlet`, then start it.
   * @blocking
   */
  declare start: (greenlet: Greenlet<any>, options?: AddOptions) => void;
  /**
   * Create a greenlet running `fn(...args)`, add it and start it; in a full Pool, waits for a slot first.
   * @blocking
   */
  declare spawn: <A extends unknown[], R>(fn: (...args: A) => R, ...args: A) => Greenlet<R>;
  /**
   * Wait until the group is empty (at least once: it may have gained members again by the time this returns).
   * Returns false if `timeout` seconds passed first. With `raiseError`, throws the error of a greenlet that
   * was a member when join was called and has failed. A number is taken as the timeout.
   * @blocking
   */
  declare join: (options?: GroupJoinOptions | number | null) => boolean;
  /**
   * Kill every member (GreenletExit by default) and, unless `block: false`, wait until all have died; members
   * added meanwhile are killed too. A `timeout` ends the wait quietly.
   * @blocking
   */
  declare kill: (options?: GroupKillOptions) => void;
  /**
   * Kill `greenlet` if it is a member not already being killed; waits for it unless `block: false`.
   * @blocking
   */
  declare killone: (greenlet: Greenlet<any>, options?: GroupKillOptions) => void;
  /**
   * Wait until spawn() would not block: returns at once in a Group.
   * @blocking
   */
  declare waitAvailable: (timeout?: number | null) => number | void;
  /**
   * Run `fn(...args)` in a greenlet of this group and return its result (or throw its error). Called from a
   * member of the group, runs `fn` directly in the caller, so a full Pool cannot deadlock on itself.
   * @blocking
   */
  declare apply: <A extends unknown[], R>(fn: (...args: A) => R, args?: A) => R;
  /**
   * `fn` applied to every item, run in greenlets of this group (at most a Pool's size at once), results in
   * input order. The first failure in input order is thrown, once the items before it have finished.
   * @blocking
   */
  declare map: <T, R>(fn: (item: T) => R, iterable: Iterable<T>) => R[];

  // ---- non-blocking mapping methods -------------------------------------------------------------------------

  /**
   * Run `fn(...args)` in this group without blocking, even when a Pool is full (then in an extra greenlet, not
   * tracked by the group, that waits for a slot). Returns the greenlet whose value is the result; join that,
   * not the group. `callback(result)` runs in a new greenlet if `fn` succeeds.
   */
  applyAsync<A extends unknown[], R>(fn: (...args: A) => R, args?: A, callback?: (result: R) => unknown): Greenlet<R> {
    checkFunction(fn, 'applyAsync');
    checkCallback(callback, 'applyAsync(fn, args, callback)');
    const argv = (args ?? EMPTY) as A;
    if (this.full()) return Greenlet.spawn(applyThenCallback as never, this, fn, argv, callback) as Greenlet<R>;
    const g = spawnNow(this, fn, argv);
    if (callback != null) g.linkValue(passValue(callback));
    return g;
  }

  /** map() in a new greenlet, which is returned; its value is the list. `callback(list)` runs in it after. */
  mapAsync<T, R>(fn: (item: T) => R, iterable: Iterable<T>, callback?: (results: R[]) => unknown): Greenlet<R[]> {
    checkFunction(fn, 'mapAsync');
    checkCallback(callback, 'mapAsync(fn, iterable, callback)');
    return Greenlet.spawn(mapThenCallback as never, this, fn, iterable, callback) as Greenlet<R[]>;
  }

  /**
   * Apply `fn` to the items in greenlets of this group, as soon as they come; iterate the results in input
   * order (blocking per element). A failed item throws its error at its place; the iteration can go on after.
   * `maxsize` bounds how many results may wait for the reader.
   */
  imap<T, R>(fn: (item: T) => R, iterable: Iterable<T>, options?: IMapOptions): IMap<R> {
    checkFunction(fn, 'imap');
    return new IMap<R>(this, fn as never, iterable, true, options?.maxsize);
  }

  /** imap() yielding the results in the order they finish. */
  imapUnordered<T, R>(fn: (item: T) => R, iterable: Iterable<T>, options?: IMapOptions): IMap<R> {
    checkFunction(fn, 'imapUnordered');
    return new IMap<R>(this, fn as never, iterable, false, options?.maxsize);
  }
}

function checkFunction(fn: unknown, who: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${who}() needs a function to apply; got ${String(fn)}`);
}

// gevent's callback is usually passed as callback=...; the options object a TypeScript user may write for it
// would otherwise reach the callback greenlet and fail there, far from the call, as "fn.apply is not a function".
function checkCallback(callback: unknown, form: string): void {
  if (callback == null || typeof callback === 'function') return;
  const given = typeof callback === 'object' ? 'an object' : String(callback);
  throw new TypeError(`${form}: callback must be a function, passed positionally; got ${given}`);
}

/** spawn() of a group that is not full: runs the green form plainly, which does not suspend then. */
function spawnNow<R>(group: Group, fn: (...args: any[]) => R, args: unknown[]): Greenlet<R> {
  const gen = (group.spawn as any)[GREEN].call(group, fn, ...args) as Green<Greenlet<R>>;
  const r = gen.next();
  if (!r.done) {
    gen.return(undefined as never);
    throw new Error(`${group}.spawn() blocked although full() was false: a subclass's full() and spawn() disagree`);
  }
  return r.value;
}

/** A link callback that runs `callback(value)` (green or plain) when the greenlet succeeded. */
function passValue(callback: (value: any) => unknown): (source: Greenlet<any>) => void {
  return green(function* applyAsyncCallback(source: Greenlet<any>): Green<void> {
    yield* callDynamic(callback, undefined, [source.value]);
  });
}

const applyThenCallback = green(function* applyAsync(
  group: Group,
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
  callback: ((result: unknown) => unknown) | undefined,
): Green<unknown> {
  const result = yield* (group.apply as any)[GREEN].call(group, fn, args);
  if (callback != null) Greenlet.spawn(callback, result);
  return result;
});

const mapThenCallback = green(function* mapAsync(
  group: Group,
  fn: (item: unknown) => unknown,
  iterable: Iterable<unknown>,
  callback: ((results: unknown[]) => unknown) | undefined,
): Green<unknown[]> {
  const results = (yield* (group.map as any)[GREEN].call(group, fn, iterable)) as unknown[];
  if (callback != null) yield* callDynamic(callback, undefined, [results]);
  return results;
});

function joinOptions(options: GroupJoinOptions | number | null | undefined): GroupJoinOptions {
  if (options == null) return {};
  if (typeof options === 'number') return { timeout: options };
  return options;
}

defineGreenMethods(Group, {
  // eslint-disable-next-line require-yield
  *add(this: Group, greenlet: Greenlet<any>, _options?: AddOptions) {
    this._track(greenlet);
  },

  *start(this: Group, greenlet: Greenlet<any>, options?: AddOptions) {
    yield* (this.add as any)[GREEN].call(this, greenlet, options);
    greenlet.start();
  },

  *spawn(this: Group, fn: (...args: unknown[]) => unknown, ...args: unknown[]) {
    const g = new this.greenletClass(fn, ...args);
    yield* (this.start as any)[GREEN].call(this, g);
    return g;
  },

  *join(this: Group, options?: GroupJoinOptions | number | null) {
    const { timeout, raiseError } = joinOptions(options);
    const checked = raiseError ? [...this._members] : null;
    let emptied = true;
    if (this._members.size > 0) {
      const since = this._emptied;
      emptied = yield* this._joiners.waitUntil(() => this._emptied !== since || this._members.size === 0, timeout);
    }
    if (checked !== null) {
      for (const g of checked) if (g.exception !== undefined) throw g.exception;
    }
    return emptied;
  },

  *kill(this: Group, options: GroupKillOptions = {}) {
    const timer = options.timeout != null ? Timeout.startNew(options.timeout) : null;
    const me = getcurrent();
    try {
      while (this._members.size > 0) {
        let killMe = false;
        for (const g of [...this._members]) {
          // Dead but its death link has not run yet: there is nothing to kill or wait for.
          if (g.dead) this._discard(g);
          else if (g === me) killMe = true;
          else if (!this._dying.has(g)) {
            this._dying.add(g);
            yield* (g.kill as any)[GREEN].call(g, { exception: killError(options.exception), block: false });
          }
        }
        if (killMe && !this._dying.has(me)) {
          // The caller is a member: the others have been told; now it dies too (gevent raises it at the
          // caller's next switch, which is its wait for the others).
          this._dying.add(me);
          throw killError(options.exception);
        }
        if (options.block === false) return;
        const others = [...this._members].filter((g) => g !== me);
        if (others.length === 0) return;
        yield* (joinall as any)[GREEN](others);
      }
    } catch (e) {
      if (timer === null || e !== timer) throw e;
    } finally {
      timer?.cancel();
    }
  },

  *killone(this: Group, greenlet: Greenlet<any>, options: GroupKillOptions = {}) {
    if (this._dying.has(greenlet) || !this._members.has(greenlet)) return;
    this._dying.add(greenlet);
    yield* (greenlet.kill as any)[GREEN].call(greenlet, { exception: killError(options.exception), block: false });
    if (options.block !== false) yield* (greenlet.join as any)[GREEN].call(greenlet, options.timeout);
  },

  // eslint-disable-next-line require-yield
  *waitAvailable(this: Group, _timeout?: number | null) {
    return undefined;
  },

  *apply(this: Group, fn: (...args: unknown[]) => unknown, args?: unknown[]) {
    checkFunction(fn, 'apply');
    const argv = args ?? EMPTY;
    if (this._members.has(getcurrent())) return yield* callDynamic(fn, undefined, argv);
    const g: Greenlet<unknown> = yield* (this.spawn as any)[GREEN].call(this, fn, ...argv);
    return yield* (g.get as any)[GREEN].call(g);
  },

  *map(this: Group, fn: (item: unknown) => unknown, iterable: Iterable<unknown>) {
    checkFunction(fn, 'map');
    const workers: Greenlet<unknown>[] = [];
    const it = greenIterator(iterable);
    let exhausted = false;
    try {
      for (;;) {
        const r = yield* it.next();
        if (r.done) break;
        workers.push(yield* (this.spawn as any)[GREEN].call(this, fn, r.value));
      }
      exhausted = true;
    } finally {
      if (!exhausted) it.return?.();
    }
    const results = new Array<unknown>(workers.length);
    for (let i = 0; i < workers.length; i++) results[i] = yield* (workers[i].get as any)[GREEN].call(workers[i]);
    return results;
  },
});
