/**
 * greenlets/pool against gevent.pool's behaviour (gevent's test__pool.py, checked case by case against
 * gevent 22.10.2). Green code is written by hand: `yield* G(fn)(...)` is a green call, `yield* M(obj, 'm')(...)`
 * a green method call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingSwitchOutError,
  GREEN_ITERATOR,
  Greenlet,
  GreenletExit,
  Timeout,
  getHub,
  getcurrent,
  iwait,
  sleep,
  spawn,
  spawnLater,
  type Green,
  type GreenIterator,
} from '../../src/index.js';
import { collect } from '../../src/runtime/convention.js';
import { Group, Pool, PoolFull, IMap } from '../../src/pool.js';
import { Event } from '../../src/event.js';
import { G, M, gf, run } from '../helpers/green.js';

const now = (): number => performance.now() / 1000;

// Green calls of the generic methods, keeping their types (the M helper cannot carry generics through).
const spawnIn = <A extends unknown[], R>(group: Group, fn: (...args: A) => R, ...args: A): Green<Greenlet<R>> =>
  M(group, 'spawn')(fn as never, ...(args as unknown as never[])) as Green<Greenlet<R>>;
const applyIn = <A extends unknown[], R>(group: Group, fn: (...args: A) => R, args?: A): Green<R> =>
  M(group, 'apply')(fn as never, args as never) as Green<R>;
const mapIn = <T, R>(group: Group, fn: (item: T) => R, items: Iterable<T>): Green<R[]> =>
  M(group, 'map')(fn as never, items as never) as Green<R[]>;

/** A green worker: sleeps `wait` seconds, returns x*x. */
const sqr = gf(function* sqr(x: number, wait = 0) {
  yield* G(sleep)(wait);
  return x * x;
});

/** A green worker that sleeps x/10 seconds and returns String(x) (gevent's test_imap_unordered_sleep). */
const tenths = gf(function* tenths(x: number) {
  yield* G(sleep)(x / 10);
  return String(x);
});

class Expected extends Error {
  constructor(message = 'expected') {
    super(message);
    this.name = 'Expected';
  }
}

/** Green iteration by hand, as the transform emits `for (const x of it)`. */
function* forOf<T>(iterable: { [GREEN_ITERATOR](): GreenIterator<T> }, body: (x: T) => void) {
  const it = iterable[GREEN_ITERATOR]();
  for (;;) {
    const r = yield* it.next();
    if (r.done) return;
    body(r.value);
  }
}

/** Stores what the hub reports about failed greenlets, instead of printing it. */
let reported: string[] = [];
let savedStream: ReturnType<typeof getHub>['exceptionStream'];
beforeEach(() => {
  reported = [];
  savedStream = getHub().exceptionStream;
  getHub().exceptionStream = { write: (s: string) => reported.push(s) };
});
afterEach(() => {
  getHub().exceptionStream = savedStream;
});

describe('Group', () => {
  it('tracks spawned greenlets until they finish', async () => {
    await run(function* () {
      const group = new Group();
      const a = yield* spawnIn(group, sqr, 2, 0.01);
      const b = yield* spawnIn(group, sqr, 3, 0.3);
      expect(group.size).toBe(2);
      expect(group.has(a) && group.has(b)).toBe(true);
      expect([...group]).toEqual([a, b]);
      expect(a.started).toBe(true);
      // The group's own death link was registered before join's, so `a` has left when join returns.
      yield* M(a, 'join')();
      expect(group.has(a)).toBe(false);
      expect([...group]).toEqual([b]);
      expect(yield* M(group, 'join')()).toBe(true);
      expect(group.size).toBe(0);
      expect(b.value).toBe(9);
    });
  });

  it('join() of an empty group returns true without switching', async () => {
    await run(function* () {
      const log: string[] = [];
      spawn(() => log.push('other ran'));
      expect(yield* M(new Group(), 'join')()).toBe(true);
      expect(log).toEqual([]);
    });
  });

  it('takes greenlets in its constructor, and add() of a member twice keeps one', async () => {
    await run(function* () {
      const a = spawn(sqr, 1, 0.01);
      const group = new Group([a]);
      yield* M(group, 'add')(a);
      expect(group.size).toBe(1);
      yield* M(group, 'join')();
      expect(group.size).toBe(0);
    });
  });

  it('an already dead greenlet added leaves at the next switch', async () => {
    await run(function* () {
      const done = spawn(() => 1);
      yield* M(done, 'join')();
      const group = new Group();
      yield* M(group, 'add')(done);
      expect(group.size).toBe(1);
      yield* G(sleep)(0);
      expect(group.size).toBe(0);
    });
  });

  it('discard() stops tracking a greenlet that keeps running', async () => {
    await run(function* () {
      const group = new Group();
      const g = yield* spawnIn(group, sqr, 4, 0.02);
      group.discard(g);
      expect(group.size).toBe(0);
      expect(yield* M(group, 'join')(0)).toBe(true);
      yield* M(g, 'join')();
      expect(g.value).toBe(16);
      expect(group.size).toBe(0);
    });
  });

  it('join({timeout}) returns false while members run, then true once empty', async () => {
    await run(function* () {
      const group = new Group();
      const member = yield* spawnIn(group, sleep, 10);
      const t0 = now();
      expect(yield* M(group, 'join')({ timeout: 0.05 })).toBe(false);
      const waited = now() - t0;
      expect(waited).toBeGreaterThanOrEqual(0.04);
      expect(waited).toBeLessThan(5); // the member sleeps 10 s: join ended at its timeout
      expect(group.size).toBe(1);
      expect(yield* M(group, 'join')(0.01)).toBe(false); // a number is the timeout
      spawn(() => member.kill({ block: false }));
      expect(yield* M(group, 'join')()).toBe(true);
      expect(group.size).toBe(0);
    });
  });

  it('join() returns true if the group became empty, even if it has a member again when the joiner runs', async () => {
    await run(function* () {
      const group = new Group();
      const a = yield* spawnIn(group, sqr, 1, 0.01);
      let late: Greenlet<number> | null = null;
      // Registered after the group's own link: runs right after `a` left, before the joiner is resumed.
      a.rawlink(() => {
        late = new Greenlet(sqr, 2, 0.05);
        group.add(late);
        late.start();
      });
      expect(yield* M(group, 'join')()).toBe(true);
      expect(group.size).toBe(1);
      expect(group.has(late!)).toBe(true);
      yield* M(group, 'join')();
    });
  });

  it('join({raiseError}) throws the error of a member that failed', async () => {
    await run(function* () {
      const group = new Group();
      const boom = new Expected('member failed');
      yield* spawnIn(group, 
        gf(function* () {
          yield* G(sleep)(0.01);
          throw boom;
        }),
      );
      yield* spawnIn(group, sqr, 1, 0.02);
      let caught: unknown = null;
      try {
        yield* M(group, 'join')({ raiseError: true });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
      expect(reported.join('')).toContain('member failed');
      // Without raiseError the failure is not thrown.
      const again = new Group();
      yield* spawnIn(again, () => {
        throw new Expected();
      });
      expect(yield* M(again, 'join')()).toBe(true);
    });
  });

  it('join({raiseError}) does not treat a killed member as failed', async () => {
    await run(function* () {
      const group = new Group();
      const g = yield* spawnIn(group, sleep, 1);
      yield* G(sleep)(0);
      yield* M(g, 'kill')();
      expect(g.value).toBeInstanceOf(GreenletExit);
      expect(yield* M(group, 'join')({ raiseError: true })).toBe(true);
    });
  });

  it('join({raiseError, timeout}) throws a failure even when the timeout ends the wait', async () => {
    await run(function* () {
      const group = new Group();
      yield* spawnIn(group, () => {
        throw new Expected('early failure');
      });
      const slow = yield* spawnIn(group, sleep, 1);
      yield* G(sleep)(0);
      yield* G(sleep)(0);
      let caught: unknown = null;
      try {
        yield* M(group, 'join')({ timeout: 0.02, raiseError: true });
      } catch (e) {
        caught = e;
      }
      // The failed member has already left the group: only members at the time of the call are checked.
      expect(caught).toBe(null);
      const group2 = new Group();
      const failing = yield* spawnIn(group2, 
        gf(function* () {
          yield* G(sleep)(0.01);
          throw new Expected('late failure');
        }),
      );
      yield* M(group2, 'add')(slow);
      try {
        yield* M(group2, 'join')({ timeout: 0.05, raiseError: true });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(failing.exception);
      yield* M(slow, 'kill')();
    });
  });

  it('kill() kills every member and waits for them', async () => {
    await run(function* () {
      const group = new Group();
      const cleaned: number[] = [];
      const worker = gf(function* (i: number) {
        try {
          yield* G(sleep)(10);
        } finally {
          cleaned.push(i);
        }
      });
      const gs = [];
      for (let i = 0; i < 3; i++) gs.push(yield* spawnIn(group, worker, i));
      yield* G(sleep)(0);
      const t0 = now();
      yield* M(group, 'kill')();
      expect(now() - t0).toBeLessThan(5); // they sleep 10 s: kill() did not wait that out
      expect(group.size).toBe(0);
      expect(cleaned.sort()).toEqual([0, 1, 2]);
      for (const g of gs) {
        expect(g.dead).toBe(true);
        expect(g.value).toBeInstanceOf(GreenletExit);
      }
    });
  });

  it('kill({exception}) raises that error class in each member', async () => {
    await run(function* () {
      class Stop extends Error {}
      const group = new Group();
      const a = yield* spawnIn(group, sleep, 10);
      const b = yield* spawnIn(group, sleep, 10);
      yield* G(sleep)(0);
      yield* M(group, 'kill')({ exception: Stop });
      expect(a.exception).toBeInstanceOf(Stop);
      expect(b.exception).toBeInstanceOf(Stop);
      expect(a.exception).not.toBe(b.exception);
    });
  });

  it('kill({block: false}) returns at once; the members die when they run', async () => {
    await run(function* () {
      const group = new Group();
      const g = yield* spawnIn(group, sleep, 10);
      yield* G(sleep)(0);
      yield* M(group, 'kill')({ block: false });
      expect(g.dead).toBe(false);
      expect(yield* M(group, 'join')({ timeout: 1 })).toBe(true);
      expect(g.value).toBeInstanceOf(GreenletExit);
    });
  });

  it('kill() also kills members added while it waits', async () => {
    await run(function* () {
      const group = new Group();
      const respawned: Greenlet<unknown>[] = [];
      const spawner = gf(function* () {
        try {
          yield* G(sleep)(10);
        } finally {
          respawned.push(group.spawn(sleep, 10));
        }
      });
      yield* spawnIn(group, spawner);
      yield* G(sleep)(0);
      yield* M(group, 'kill')();
      expect(group.size).toBe(0);
      expect(respawned).toHaveLength(1);
      expect(respawned[0].value).toBeInstanceOf(GreenletExit);
    });
  });

  it('kill({timeout}) gives up quietly on a member that will not die', async () => {
    await run(function* () {
      const group = new Group();
      let stop = false;
      const stubborn = yield* spawnIn(group, 
        gf(function* () {
          while (!stop) {
            try {
              yield* G(sleep)(0.01);
            } catch (e) {
              if (!(e instanceof GreenletExit)) throw e;
            }
          }
        }),
      );
      yield* G(sleep)(0);
      const t0 = now();
      yield* M(group, 'kill')({ timeout: 0.05 });
      const waited = now() - t0;
      expect(waited).toBeGreaterThanOrEqual(0.04);
      expect(waited).toBeLessThan(5); // the member never dies by itself: kill() ended at its timeout
      expect(group.size).toBe(1);
      stop = true;
      yield* M(stubborn, 'join')();
    });
  });

  it('kill() from a member kills the others, then the caller', async () => {
    await run(function* () {
      const group = new Group();
      const other = yield* spawnIn(group, sleep, 10);
      let after = false;
      const killer = yield* spawnIn(group, 
        gf(function* () {
          yield* G(sleep)(0.01);
          yield* M(group, 'kill')();
          after = true;
        }),
      );
      yield* M(killer, 'join')();
      yield* M(other, 'join')(1);
      expect(after).toBe(false);
      expect(killer.value).toBeInstanceOf(GreenletExit);
      expect(other.value).toBeInstanceOf(GreenletExit);
      expect(yield* M(group, 'join')(1)).toBe(true);
    });
  });

  it('killone() kills one member and leaves the rest; non-members are left alone', async () => {
    await run(function* () {
      const group = new Group();
      const a = yield* spawnIn(group, sleep, 10);
      const b = yield* spawnIn(group, sleep, 10);
      const outsider = spawn(sleep, 10);
      yield* G(sleep)(0);
      yield* M(group, 'killone')(a);
      expect(a.dead).toBe(true);
      expect(group.has(a)).toBe(false);
      expect(b.dead).toBe(false);
      yield* M(group, 'killone')(outsider);
      yield* G(sleep)(0);
      expect(outsider.dead).toBe(false);
      yield* M(group, 'killone')(b, { block: false });
      expect(b.dead).toBe(false);
      yield* M(b, 'join')();
      expect(b.value).toBeInstanceOf(GreenletExit);
      yield* M(outsider, 'kill')();
    });
  });

  it('is never full and waitAvailable() returns at once', async () => {
    await run(function* () {
      const group = new Group();
      expect(group.full()).toBe(false);
      expect(yield* M(group, 'waitAvailable')()).toBe(undefined);
    });
  });
});

describe('Pool: slots', () => {
  it('rejects a negative size; Pool(0) is always full', async () => {
    expect(() => new Pool(-1)).toThrow(RangeError);
    expect(() => new Pool(-1)).toThrow('Pool size must not be negative; got -1. Use null for no limit.');
    expect(() => new Pool(Number.NaN)).toThrow(TypeError);
    expect(() => new Pool(Number.NaN)).toThrow(/Pool size must be a number, or null for no limit; got NaN/);
    await run(function* () {
      const p = new Pool(0);
      expect(p.freeCount()).toBe(0);
      expect(p.full()).toBe(true);
      const t0 = now();
      expect(yield* M(p, 'waitAvailable')(0.02)).toBe(0);
      expect(now() - t0).toBeGreaterThanOrEqual(0.015);
      expect(() => p.add(new Greenlet(() => 1), { blocking: false })).toThrow(PoolFull);
    });
  });

  it('a pool without a size never blocks and reports one free slot, as gevent', async () => {
    await run(function* () {
      const p = new Pool();
      expect(p.maxsize).toBe(null);
      for (let i = 0; i < 50; i++) p.spawn(sleep, 0.01);
      expect(p.size).toBe(50);
      expect(p.freeCount()).toBe(1);
      expect(p.full()).toBe(false);
      expect(yield* M(p, 'waitAvailable')()).toBe(1);
      yield* M(p, 'join')();
    });
  });

  it('freeCount() follows spawns and deaths', async () => {
    await run(function* () {
      const p = new Pool(2);
      expect(p.freeCount()).toBe(2);
      const first = yield* spawnIn(p, sqr, 1);
      expect(p.freeCount()).toBe(1);
      yield* M(first, 'get')();
      yield* G(sleep)(0);
      expect(p.freeCount()).toBe(2);
    });
  });

  it('never runs more than its size at once; spawn() waits for a slot', async () => {
    await run(function* () {
      const p = new Pool(3);
      let running = 0;
      let most = 0;
      const worker = gf(function* (i: number) {
        running++;
        most = Math.max(most, running);
        yield* G(sleep)(0.002 * (i % 4));
        running--;
        return i;
      });
      const gs: Greenlet<number>[] = [];
      for (let i = 0; i < 20; i++) {
        gs.push(yield* spawnIn(p, worker, i));
        expect(p.size).toBeLessThanOrEqual(3);
      }
      yield* M(p, 'join')();
      expect(most).toBe(3);
      expect(gs.map((g) => g.value)).toEqual([...Array(20).keys()]);
    });
  });

  it('spawn() in a full pool blocks until a member finishes (gevent TestSpawn)', async () => {
    await run(function* () {
      const p = new Pool(1);
      yield* spawnIn(p, sleep, 0.05);
      expect(p.size).toBe(1);
      const t0 = now();
      yield* spawnIn(p, sleep, 0.05);
      expect(now() - t0).toBeGreaterThanOrEqual(0.04);
      expect(p.size).toBe(1);
      const [second] = [...p];
      yield* M(second, 'join')();
      expect(p.size).toBe(0);
    });
  });

  it('plain spawn() into a full pool throws BlockingSwitchOutError and leaves the pool as it was', async () => {
    await run(function* () {
      const p = new Pool(1);
      p.spawn(sleep, 0.01);
      expect(() => p.spawn(sleep, 0.01)).toThrow(BlockingSwitchOutError);
      expect(p.size).toBe(1);
      expect(p._slots.length).toBe(0);
      yield* M(p, 'join')();
    });
  });

  it('add(g, {blocking: false}) throws PoolFull when full (gevent test_add_method_non_blocking)', async () => {
    await run(function* () {
      const p = new Pool(1);
      const first = spawn(sleep, 10);
      const second = spawn(sleep, 10);
      yield* M(p, 'add')(first);
      expect(p.freeCount()).toBe(0);
      let caught: unknown = null;
      try {
        yield* M(p, 'add')(second, { blocking: false });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(PoolFull);
      expect((caught as Error).message).toMatch(/no free slot.*blocking: false/);
      expect(p.has(second)).toBe(false);
      yield* M(first, 'kill')();
      yield* M(second, 'kill')();
    });
  });

  it('add(g, {timeout}) throws PoolFull after the timeout; a surrounding Timeout propagates', async () => {
    await run(function* () {
      const p = new Pool(1);
      const first = spawn(sleep, 10);
      const second = spawn(sleep, 10);
      yield* M(p, 'add')(first);
      const t0 = now();
      let caught: unknown = null;
      try {
        yield* M(p, 'add')(second, { timeout: 0.05 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(PoolFull);
      expect(now() - t0).toBeGreaterThanOrEqual(0.04);
      const t = Timeout.startNew(0.03);
      try {
        yield* M(p, 'add')(second);
        caught = null;
      } catch (e) {
        caught = e;
      } finally {
        t.cancel();
      }
      expect(caught).toBe(t);
      expect(p.size).toBe(1);
      expect(p.freeCount()).toBe(0);
      expect(p._slots.length).toBe(0);
      yield* M(first, 'kill')();
      yield* M(second, 'kill')();
    });
  });

  it('start(g, {timeout}) throws PoolFull and does not start the greenlet', async () => {
    await run(function* () {
      const p = new Pool(1);
      const first = spawn(sleep, 10);
      yield* M(p, 'add')(first);
      const second = new Greenlet(sleep, 10);
      let caught: unknown = null;
      try {
        yield* M(p, 'start')(second, { timeout: 0.02 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(PoolFull);
      expect(second.started).toBe(false);
      yield* M(first, 'kill')();
    });
  });

  it('discard() gives the slot back at once (gevent test_discard)', async () => {
    await run(function* () {
      const p = new Pool(1);
      const first = yield* spawnIn(p, sleep, 10);
      p.discard(first);
      expect(p.size).toBe(0);
      expect(p.freeCount()).toBe(1);
      yield* M(first, 'kill')();
      expect(p.freeCount()).toBe(1);
      // Discarding a greenlet that is not a member frees nothing (gevent would over-release its semaphore).
      p.discard(spawn(() => 0));
      const a = yield* spawnIn(p, sleep, 0.01);
      expect(p.full()).toBe(true);
      expect(() => p.add(new Greenlet(() => 1), { blocking: false })).toThrow(PoolFull);
      yield* M(a, 'join')();
    });
  });

  it('slot waiters are served first come, first served', async () => {
    await run(function* () {
      const p = new Pool(1);
      const order: string[] = [];
      yield* spawnIn(p, sleep, 0.02);
      const waiter = gf(function* (name: string) {
        yield* spawnIn(p, () => order.push(name));
      });
      const ws = ['a', 'b', 'c', 'd'].map((n) => spawn(waiter, n));
      yield* M(p, 'join')();
      for (const w of ws) yield* M(w, 'join')();
      yield* M(p, 'join')();
      expect(order).toEqual(['a', 'b', 'c', 'd']);
    });
  });

  it('a slot waiter killed after its wake-up does not swallow the slot', async () => {
    await run(function* () {
      const p = new Pool(1);
      const holder = yield* spawnIn(p, sleep, 0.02);
      let secondSpawned = false;
      const first = spawn(
        gf(function* () {
          yield* spawnIn(p, () => 'first');
        }),
      );
      const second = spawn(
        gf(function* () {
          yield* spawnIn(p, () => 'second');
          secondSpawned = true;
        }),
      );
      yield* G(sleep)(0);
      expect(p._slots.length).toBe(2);
      // Runs right after the holder left and its slot woke `first`, before `first` gets to run.
      holder.rawlink(() => first.kill({ block: false }));
      yield* M(second, 'join')(1);
      expect(first.value).toBeInstanceOf(GreenletExit);
      expect(secondSpawned).toBe(true);
      expect(p._slots.length).toBe(0);
    });
  });

  it('waitAvailable() waits for a free slot, returns how many are free, and does not take it', async () => {
    await run(function* () {
      const p = new Pool(1);
      yield* spawnIn(p, sleep, 0.03);
      let spawnedAfter = false;
      // This one queues after the waitAvailable() below: a slot wakes only the first waiter, so it gets the
      // slot only if waitAvailable passes the wake-up on.
      const spawner = spawn(
        gf(function* () {
          yield* G(sleep)(0);
          yield* spawnIn(p, () => 1);
          spawnedAfter = true;
        }),
      );
      const t0 = now();
      expect(yield* M(p, 'waitAvailable')()).toBe(1);
      expect(now() - t0).toBeGreaterThanOrEqual(0.02);
      yield* M(spawner, 'join')(1);
      expect(spawnedAfter).toBe(true);
    });
  });
});

describe('greenletClass', () => {
  it('spawn() creates instances of the pool\'s greenlet class', async () => {
    class Named extends Greenlet<unknown> {}
    await run(function* () {
      const p = new Pool(2, Named);
      const g = yield* spawnIn(p, sqr, 3);
      expect(g).toBeInstanceOf(Named);
      const group = new Group();
      group.greenletClass = Named;
      expect(yield* spawnIn(group, () => 1)).toBeInstanceOf(Named);
      expect(yield* M(g, 'get')()).toBe(9);
    });
  });
});

describe('apply and applyAsync', () => {
  it('apply() runs the function in a greenlet of the pool and returns its result', async () => {
    await run(function* () {
      const p = new Pool(2);
      const caller = getcurrent();
      let ranIn: Greenlet<any> | null = null;
      let wasMember = false;
      const result = yield* applyIn(
        p,
        gf<(a: number, b: number) => number>(function* (a, b) {
          ranIn = getcurrent();
          wasMember = p.has(ranIn);
          yield* G(sleep)(0.001);
          return a + b;
        }),
        [2, 3],
      );
      expect(result).toBe(5);
      expect(ranIn).not.toBe(caller);
      expect(wasMember).toBe(true);
      expect(yield* applyIn(p, (x: number) => ['foo', x], [1])).toEqual(['foo', 1]);
      expect(yield* applyIn(p, sqr, [5])).toBe(25);
    });
  });

  it('apply() throws the error the function threw', async () => {
    await run(function* () {
      const p = new Pool(1);
      const boom = new Expected();
      let caught: unknown = null;
      try {
        yield* applyIn(p, () => {
          throw boom;
        });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
    });
  });

  it('apply() from a member runs in the caller, so a full pool does not deadlock (gevent test_reentrant)', async () => {
    await run(function* () {
      const p = new Pool(1);
      const outer = gf(function* () {
        const me = getcurrent();
        const inner = yield* applyIn(p, () => getcurrent());
        return [me, inner];
      });
      const [me, inner] = (yield* applyIn(p, outer)) as Greenlet<any>[];
      expect(inner).toBe(me);
      const boundApply = gf(function* (fn: (a: number) => number, args: [number]) {
        return yield* applyIn(p, fn, args);
      });
      const nested = yield* applyIn(p, boundApply, [(a: number) => a + 1, [5]]);
      expect(nested).toBe(6);
    });
  });

  it('applyAsync() never blocks, tracks the greenlet while not full, and calls back with the result', async () => {
    await run(function* () {
      const p = new Pool(2);
      const r: number[] = [];
      const got: number[] = [];
      const push = (x: number) => r.push(x);
      const g1 = p.applyAsync(push, [2], (n) => got.push(n));
      expect(p.has(g1)).toBe(true);
      expect(p.freeCount()).toBe(1);
      p.applyAsync(push, [3]);
      expect(p.freeCount()).toBe(0);
      const g3 = p.applyAsync(push, [4]); // full: an untracked greenlet waits for the slot instead of us
      expect(p.has(g3)).toBe(false);
      expect(r).toEqual([]);
      expect(yield* M(g3, 'get')()).toBe(3); // the value of fn: push returned the new length
      expect(r.sort()).toEqual([2, 3, 4]);
      expect(got).toEqual([1]);
    });
  });

  it('applyAsync() result can be awaited with a timeout, and the callback is skipped on failure', async () => {
    await run(function* () {
      const p = new Pool(1);
      const res = p.applyAsync(sqr, [6, 0.2]);
      let caught: unknown = null;
      try {
        yield* M(res, 'get')({ timeout: 0.02 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Timeout);
      const calls: unknown[] = [];
      const bad = p.applyAsync(
        () => {
          throw new Expected();
        },
        [],
        (v) => calls.push(v),
      );
      yield* M(bad, 'join')();
      yield* M(p, 'join')();
      yield* G(sleep)(0.01);
      expect(calls).toEqual([]);
      expect(res.value).toBe(36);
    });
  });

  it('applyAsync() with a callback on a full pool calls it with the result (gevent apply_cb)', async () => {
    await run(function* () {
      const p = new Pool(1);
      yield* spawnIn(p, sleep, 0.01);
      const got: number[] = [];
      const g = p.applyAsync(sqr, [7, 0.01], gf(function* (v: number) {
        yield* G(sleep)(0);
        got.push(v);
      }));
      expect(yield* M(g, 'get')()).toBe(49);
      yield* G(sleep)(0.01);
      expect(got).toEqual([49]);
    });
  });
  it('applyAsync() and mapAsync() refuse a callback that is not a function at the call, not in a greenlet', () => {
    const p = new Pool(2);
    const options = { callback: (v: number) => v } as unknown as (v: number) => number;
    expect(() => p.applyAsync(sqr, [2], options)).toThrow(
      /applyAsync\(fn, args, callback\): callback must be a function, passed positionally; got an object/,
    );
    expect(() => p.mapAsync(sqr, [1], 'later' as never)).toThrow(/mapAsync\(fn, iterable, callback\): .* got later/);
    expect(p.size).toBe(0);
  });
});

describe('map and mapAsync', () => {
  it('returns the results in input order, running at most the pool size at once', async () => {
    await run(function* () {
      const p = new Pool(3);
      let running = 0;
      let most = 0;
      const f = gf(function* (x: number) {
        running++;
        most = Math.max(most, running);
        yield* G(sleep)(0.001 * (10 - x));
        running--;
        return x * x;
      });
      const xs = [...Array(10).keys()];
      expect(yield* mapIn(p, f, xs)).toEqual(xs.map((x) => x * x));
      expect(most).toBe(3);
      expect(yield* mapIn(p, (x: number) => x + 1, new Set([1, 2]))).toEqual([2, 3]);
      expect(yield* mapIn(p, sqr, [])).toEqual([]);
    });
  });

  it('throws the first failure in input order', async () => {
    await run(function* () {
      const p = new Pool(3);
      const f = gf(function* ([wait, name]: [number, string]) {
        yield* G(sleep)(wait);
        throw new Expected(name);
      });
      let caught: unknown = null;
      try {
        yield* mapIn(p, f, [
          [0.03, 'first input'],
          [0, 'second input'],
        ] as [number, string][]);
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).message).toBe('first input');
    });
  });

  it('throws an error of the input iterator (gevent TestErrorInIterator)', async () => {
    await run(function* () {
      const p = new Pool(3);
      function* errorIter() {
        yield 1;
        yield 2;
        throw new Expected('input broke');
      }
      let caught: unknown = null;
      try {
        yield* mapIn(p, () => null, errorIter());
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).message).toBe('input broke');
    });
  });

  it('mapAsync() returns a greenlet whose value is the list, and calls back with it', async () => {
    await run(function* () {
      const p = new Pool(2);
      const got: number[][] = [];
      const g = p.mapAsync(sqr, [1, 2, 3], (list) => got.push(list));
      expect(g).toBeInstanceOf(Greenlet);
      expect(yield* M(g, 'get')()).toEqual([1, 4, 9]);
      expect(got).toEqual([[1, 4, 9]]);
    });
  });

  it('kill() stops the work of a mapAsync quickly (gevent test_terminate)', async () => {
    await run(function* () {
      const p = new Pool(2);
      // twice the pool's size, as gevent's test: the feeder is waiting for a slot when kill() starts; kill()
      // returns once the members it found are dead, and (gevent 22.10.2) the two the feeder adds into the freed
      // slots after that run to the end
      const result = p.mapAsync(sleep, Array(4).fill(0.1));
      yield* G(sleep)(0.05);
      yield* M(p, 'kill')();
      expect(p.size).toBe(0);
      yield* M(result, 'join')(5);
      expect(result.successful()).toBe(true);
      const values = result.value as unknown[];
      expect(values).toHaveLength(4);
      // killed, not finished: kill() did not wait for their sleeps
      expect(values[0]).toBeInstanceOf(GreenletExit);
      expect(values[1]).toBeInstanceOf(GreenletExit);
      expect(values.slice(2)).toEqual([undefined, undefined]);
    });
  });
});

describe('imap and imapUnordered', () => {
  for (const size of [1, 2, 3, 10, null]) {
    it(`imap gives input order and imapUnordered everything, Pool(${size})`, async () => {
      await run(function* () {
        const p = new Pool(size);
        const xs = [...Array(100).keys()];
        const jitter = gf(function* (x: number) {
          yield* G(sleep)(((x * 7) % 5) * 0.001);
          return x * x;
        });
        expect(yield* collect(p.imap(jitter, xs))).toEqual(xs.map((x) => x * x));
        const unordered = yield* collect(p.imapUnordered(jitter, xs));
        expect(unordered.sort((a, b) => a - b)).toEqual(xs.map((x) => x * x));
        expect(yield* collect(p.imap(sqr, []))).toEqual([]);
        expect(yield* collect(p.imapUnordered(sqr, []))).toEqual([]);
        yield* M(p, 'join')();
      });
    });
  }

  it('imapUnordered yields in completion order; imap in input order even when later items finish first', async () => {
    await run(function* () {
      const p3 = new Pool(3);
      expect(yield* collect(p3.imapUnordered(tenths, [10, 1, 2]))).toEqual(['1', '2', '10']);
      expect(yield* collect(p3.imap(tenths, [10, 1, 2]))).toEqual(['10', '1', '2']);
      // One at a time, completion order is input order.
      expect(yield* collect(new Pool(1).imapUnordered(tenths, [3, 1, 2]))).toEqual(['3', '1', '2']);
    });
  });

  it('suspends per element: the first result arrives before the last one is computed', async () => {
    await run(function* () {
      const p = new Pool(2);
      const seen: string[] = [];
      const firstRead = new Event();
      const work = gf<(w: string) => string>(function* (w) {
        // the slow item is computed only after the reader has had the fast one
        if (w === 'slow') yield* M(firstRead, 'wait')();
        return w;
      });
      const t = Timeout.startNew(5); // a reader that waited for every result would wait forever
      try {
        yield* forOf(p.imapUnordered(work, ['slow', 'fast']), (w) => {
          seen.push(w);
          firstRead.set();
        });
      } finally {
        t.cancel();
      }
      expect(seen).toEqual(['fast', 'slow']);
    });
  });

  it('starts the work at once, like gevent, and works with plain iteration once results are ready', async () => {
    await run(function* () {
      const p = new Pool(10);
      let started = 0;
      const it = p.imap((x: number) => {
        started++;
        return x * 2;
      }, [1, 2, 3]);
      expect(it).toBeInstanceOf(IMap);
      yield* G(sleep)(0.01);
      expect(started).toBe(3);
      expect([...it]).toEqual([2, 4, 6]); // plain spread: nothing to wait for
      expect([...it]).toEqual([]);
    });
  });

  it('plain iteration throws BlockingSwitchOutError where it would have to wait', async () => {
    await run(function* () {
      const p = new Pool(2);
      const it = p.imap(sqr, [1, 2]);
      expect(() => [...it]).toThrow(BlockingSwitchOutError);
      yield* M(p, 'join')();
    });
  });

  it('a worker failure is thrown at its place and the iteration goes on (gevent TestErrorInHandler)', async () => {
    await run(function* () {
      const divide = (x: number) => {
        if (x === 0) throw new Expected('division by zero');
        return 1 / x;
      };
      for (const method of ['imap', 'imapUnordered'] as const) {
        const p = new Pool(1);
        const it = p[method](divide, [1, 0, 2])[GREEN_ITERATOR]();
        expect(yield* it.next()).toEqual({ done: false, value: 1 });
        let caught: unknown = null;
        try {
          yield* it.next();
        } catch (e) {
          caught = e;
        }
        expect((caught as Error).message).toBe('division by zero');
        expect(yield* it.next()).toEqual({ done: false, value: 0.5 });
        expect((yield* it.next()).done).toBe(true);
        expect((yield* it.next()).done).toBe(true);
      }
    });
  });

  it('an error of the input iterator reaches the reader: after the results before it for imap', async () => {
    await run(function* () {
      function* errorIter() {
        yield 1;
        yield 2;
        throw new Expected('input broke');
      }
      const slowId = gf(function* (x: number) {
        yield* G(sleep)(0.01 * x);
        return x;
      });
      const p = new Pool(3);
      const got: number[] = [];
      let caught: unknown = null;
      try {
        yield* forOf(p.imap(slowId, errorIter()), (x) => got.push(x));
      } catch (e) {
        caught = e;
      }
      expect(got).toEqual([1, 2]);
      expect((caught as Error).message).toBe('input broke');
      // Unordered: the input fails before any worker finished, so the error comes first (as in gevent).
      const got2: number[] = [];
      caught = null;
      const un = p.imapUnordered(slowId, errorIter());
      try {
        yield* forOf(un, (x) => got2.push(x));
      } catch (e) {
        caught = e;
      }
      expect(got2).toEqual([]);
      expect((caught as Error).message).toBe('input broke');
      expect((yield* un[GREEN_ITERATOR]().next()).done).toBe(true); // the iteration has ended
      yield* M(p, 'join')();
      expect(reported).toEqual([]); // the feeder's failure went to the reader, not to the hub
    });
  });

  it('takes its input from a blocking iterable, and ends when that input ends late (gevent issue 423)', async () => {
    await run(function* () {
      const p = new Pool(2);
      const sources = [spawnLater(0.03, () => 3), spawn(() => 1), spawnLater(0.01, () => 2)];
      const doubled = yield* collect(p.imap((g: Greenlet<number>) => g.value! * 10, iwait(sources)));
      expect(doubled).toEqual([10, 20, 30]);
      function* finalSleep() {
        for (let i = 0; i < 3; i++) yield i;
      }
      expect(yield* collect(p.imapUnordered(sqr, finalSleep()))).toEqual([0, 1, 4]);
    });
  });

  it('maxsize bounds the work done ahead of the reader', async () => {
    await run(function* () {
      const p = new Pool(10);
      let started = 0;
      const f = (x: number) => {
        started++;
        return x;
      };
      const it = p.imapUnordered(f, [...Array(20).keys()], { maxsize: 2 })[GREEN_ITERATOR]();
      yield* G(sleep)(0.02);
      expect(started).toBe(2); // gevent: 2
      yield* it.next();
      yield* G(sleep)(0.02);
      expect(started).toBe(3); // gevent: 3
      yield* it.next();
      yield* G(sleep)(0.02);
      expect(started).toBe(4); // gevent: 4
      it.return!();
    });
  });

  it('maxsize: 1 keeps a slow reader at most two results behind (gevent issue 638)', async () => {
    await run(function* () {
      for (const method of ['imapUnordered', 'imap'] as const) {
        const p = new Pool(5);
        let running = 0;
        const xs = [...Array(30).keys()];
        const mapping = p[method]((i: number) => {
          running++;
          return i;
        }, xs, { maxsize: 1 });
        const out: number[] = [];
        let i = 0;
        yield* forOf(mapping, (x) => {
          expect(running).toBeLessThanOrEqual(i + 2);
          out.push(x);
          i++;
        });
        expect(out.sort((a, b) => a - b)).toEqual(xs);
      }
    });
  });

  it('breaking out of the loop stops the feeder', async () => {
    await run(function* () {
      const p = new Pool(2);
      let pulled = 0;
      function* forever() {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      }
      const it = p.imap(sqr, forever())[GREEN_ITERATOR]();
      const got: number[] = [];
      for (;;) {
        const r = yield* it.next();
        got.push(r.value!);
        if (got.length === 3) break;
      }
      it.return!();
      const pulledAtBreak = pulled;
      yield* G(sleep)(0.02);
      expect(got).toEqual([0, 1, 4]);
      expect(pulled).toBeLessThanOrEqual(pulledAtBreak + 1);
      expect(yield* M(p, 'join')(1)).toBe(true);
      expect((yield* it.next()).done).toBe(true);
    });
  });

  it('a killed worker yields its GreenletExit as a value, as in gevent', async () => {
    await run(function* () {
      const p = new Pool(2);
      const it = p.imapUnordered(sleep, [10, 10])[GREEN_ITERATOR]();
      yield* G(sleep)(0);
      yield* G(sleep)(0);
      yield* M(p, 'kill')();
      expect((yield* it.next()).value).toBeInstanceOf(GreenletExit);
      expect((yield* it.next()).value).toBeInstanceOf(GreenletExit);
      expect((yield* it.next()).done).toBe(true);
    });
  });

  it('runs many items through a small pool', async () => {
    await run(function* () {
      const p = new Pool(10);
      const xs = [...Array(1000).keys()];
      const it = p.imap(sqr, xs)[GREEN_ITERATOR]();
      for (const x of xs) expect((yield* it.next()).value).toBe(x * x);
      expect((yield* it.next()).done).toBe(true);
    });
  });
});
