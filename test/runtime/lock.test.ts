/**
 * Semaphore, BoundedSemaphore, Lock, DummySemaphore and RLock: the behaviours gevent's test__semaphore.py and
 * test__lock.py check, the fairness of issue 1487, and the rules of blocking primitives (a killed or timed-out
 * waiter never swallows a permit; plain calls). Semantics checked against gevent 22.10.2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingSwitchOutError,
  Greenlet,
  GreenletExit,
  Timeout,
  getHub,
  joinall,
  killall,
  sleep,
  spawn,
  wait,
} from '../../src/index.js';
import { BoundedSemaphore, DummySemaphore, Lock, RLock, Semaphore } from '../../src/lock.js';
import { G, M, gf, run } from '../helpers/green.js';

let reports: string[] = [];
let savedStream: ReturnType<typeof getHub>['exceptionStream'];
beforeEach(() => {
  reports = [];
  savedStream = getHub().exceptionStream;
  getHub().exceptionStream = { write: (s: string) => reports.push(s) };
});
afterEach(() => {
  getHub().exceptionStream = savedStream;
});

/** Hold the thread (and so Node's timers) for `ms` without yielding: timers that come due meanwhile fire together. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const acquireOf = gf(function* acquireOf(sem: Semaphore, timeout?: number) {
  return yield* M(sem, 'acquire')({ timeout });
});

describe('Semaphore', () => {
  it('counts: acquire takes, release gives back; locked() at zero', () => {
    const s = new Semaphore(2);
    expect(s.counter).toBe(2);
    expect(s.acquire()).toBe(true);
    expect(s.acquire({ blocking: false })).toBe(true);
    expect(s.counter).toBe(0);
    expect(s.locked()).toBe(true);
    expect(s.ready()).toBe(false);
    expect(s.acquire({ blocking: false })).toBe(false);
    expect(s.release()).toBe(1);
    expect(s.locked()).toBe(false);
    // A plain Semaphore may be released above its initial value (gevent allows it).
    s.release();
    s.release();
    expect(s.counter).toBe(3);
    expect(new Semaphore().counter).toBe(1);
  });

  it('rejects a negative or non-integer initial value', () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(-1)).toThrow(/Semaphore initial value must be >= 0; got -1/);
    expect(() => new BoundedSemaphore(-3)).toThrow(/BoundedSemaphore initial value/);
    expect(() => new Semaphore(1.5)).toThrow(TypeError);
    expect(() => new Semaphore('2' as never)).toThrow(TypeError);
    expect(new Semaphore(0).counter).toBe(0);
  });

  it('acquire({timeout}) returns false when no permit comes, leaving no waiter or timer', async () => {
    const s = new Semaphore(0);
    await run(function* () {
      const t0 = performance.now();
      expect(yield* M(s, 'acquire')({ timeout: 0.02 })).toBe(false);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
      expect(s.linkcount()).toBe(0);
      expect(getHub().timers.size).toBe(0);
      expect(s.counter).toBe(0);
    });
  });

  it('blocked acquirers get permits in the order they blocked', async () => {
    const s = new Semaphore(0);
    const order: number[] = [];
    await run(function* () {
      const gs = [0, 1, 2, 3, 4].map((i) =>
        spawn(
          gf(function* () {
            yield* M(s, 'acquire')();
            order.push(i);
          }),
        ),
      );
      yield* G(sleep)(0);
      expect(s.linkcount()).toBe(5);
      // One at a time, each in its own turn...
      s.release();
      yield* G(sleep)(0.001);
      s.release();
      yield* G(sleep)(0.001);
      expect(order).toEqual([0, 1]);
      // ...and several at once.
      s.release();
      s.release();
      s.release();
      yield* G(joinall)(gs);
    });
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(s.counter).toBe(0);
    expect(s.linkcount()).toBe(0);
  });

  it('a free permit is taken at once even before the woken waiter runs, and that waiter keeps its place', async () => {
    // gevent: release() then acquire(blocking=False) in the same greenlet returns True; the waiter stays first.
    const s = new Semaphore(0);
    const order: string[] = [];
    await run(function* () {
      const a = spawn(
        gf(function* () {
          yield* M(s, 'acquire')();
          order.push('a');
        }),
      );
      yield* G(sleep)(0);
      s.release();
      expect(s.acquire({ blocking: false })).toBe(true);
      const c = spawn(
        gf(function* () {
          yield* M(s, 'acquire')();
          order.push('c');
        }),
      );
      yield* G(sleep)(0.005);
      expect(order).toEqual([]);
      expect(s.linkcount()).toBe(2);
      s.release();
      yield* G(sleep)(0.005);
      expect(order).toEqual(['a']);
      s.release();
      yield* G(joinall)([a, c]);
    });
    expect(order).toEqual(['a', 'c']);
  });

  it('a waiter killed after release() woke it passes the permit on', async () => {
    const s = new Semaphore(0);
    await run(function* () {
      const a = spawn(acquireOf, s);
      const b = spawn(acquireOf, s);
      yield* G(sleep)(0);
      s.release(); // meant for a...
      yield* M(a, 'kill')({ block: false }); // ...which dies before it runs
      yield* G(joinall)([a, b], { timeout: 5 });
      expect(a.value).toBeInstanceOf(GreenletExit);
      expect(b.value).toBe(true);
      expect(s.counter).toBe(0);
      expect(s.linkcount()).toBe(0);
    });
  });

  it('a Timeout while waiting leaves the counter right', async () => {
    const s = new Semaphore(0);
    await run(function* () {
      const t = Timeout.startNew(0.01);
      try {
        yield* M(s, 'acquire')();
        expect.unreachable();
      } catch (e) {
        expect(e).toBe(t);
      }
      expect(s.counter).toBe(0);
      expect(s.linkcount()).toBe(0);
      s.release();
      expect(s.counter).toBe(1);
      expect(yield* M(s, 'acquire')({ timeout: 1 })).toBe(true);
      expect(s.counter).toBe(0);
    });
  });

  it('a waiter whose Timeout fires after release() woke it passes the permit on', async () => {
    const s = new Semaphore(0);
    await run(function* () {
      const timedOut = spawn(
        gf(function* () {
          const t = Timeout.startNew(0.02);
          try {
            return yield* M(s, 'acquire')();
          } catch (e) {
            return e === t ? 'timeout' : e;
          }
        }),
      );
      const next = spawn(acquireOf, s);
      yield* G(sleep)(0);
      // In one turn of Node's timers: the release (waking `timedOut`), then its Timeout, which overrides.
      getHub().timers.add(0.015, () => s.release());
      spin(40);
      yield* G(joinall)([timedOut, next], { timeout: 5 });
      expect(timedOut.value).toBe('timeout');
      expect(next.value).toBe(true);
      expect(s.counter).toBe(0);
      expect(s.linkcount()).toBe(0);
    });
  });

  it('acquire(timeout): whichever comes first of its timeout and a release decides, and no permit is lost', async () => {
    await run(function* () {
      // The timeout fires first, the release just after in the same turn: gevent returns False and keeps the permit.
      const s = new Semaphore(0);
      const late = spawn(acquireOf, s, 0.02);
      yield* G(sleep)(0);
      getHub().timers.add(0.02, () => s.release());
      spin(40);
      yield* G(joinall)([late]);
      expect(late.value).toBe(false);
      expect(s.counter).toBe(1);
      expect(s.linkcount()).toBe(0);
      // The release fires first: the waiter has it.
      const s2 = new Semaphore(0);
      const early = spawn(acquireOf, s2, 0.5);
      yield* G(sleep)(0);
      getHub().timers.add(0.01, () => s2.release());
      yield* G(joinall)([early]);
      expect(early.value).toBe(true);
      expect(s2.counter).toBe(0);
    });
  });

  it('a later waiter timing out as a permit arrives does not take it from an earlier one', async () => {
    const s = new Semaphore(0);
    await run(function* () {
      const first = spawn(acquireOf, s);
      const second = spawn(acquireOf, s, 0.02);
      yield* G(sleep)(0);
      getHub().timers.add(0.02, () => s.release()); // due in the same turn as second's timeout, after it
      spin(40);
      yield* G(joinall)([first, second], { timeout: 5 });
      expect(second.value).toBe(false);
      expect(first.value).toBe(true);
      expect(s.counter).toBe(0);
    });
  });

  it('wait() waits for a free permit without taking it, and does not hold up acquirers behind it', async () => {
    const s = new Semaphore(0);
    await run(function* () {
      const waiter = spawn(
        gf(function* () {
          return yield* M(s, 'wait')();
        }),
      );
      const acquirer = spawn(acquireOf, s);
      yield* G(sleep)(0);
      s.release();
      yield* G(joinall)([waiter, acquirer], { timeout: 5 });
      expect(waiter.value).toBe(1);
      expect(acquirer.value).toBe(true);
      expect(s.counter).toBe(0);
      expect(yield* M(s, 'wait')(0.01)).toBe(0);
      expect(s.linkcount()).toBe(0);
    });
    expect(new Semaphore(3).wait()).toBe(3);
  });

  it('called plainly: free → acquires; taken → BlockingSwitchOutError, counter and queue unchanged', () => {
    const s = new Semaphore(1);
    expect(s.acquire()).toBe(true);
    expect(() => s.acquire()).toThrow(BlockingSwitchOutError);
    expect(() => s.acquire({ timeout: 1 })).toThrow(/Semaphore\.acquire would block/);
    expect(() => s.wait()).toThrow(BlockingSwitchOutError);
    expect(s.counter).toBe(0);
    expect(s.linkcount()).toBe(0);
    expect(getHub().timers.size).toBe(0);
    s.release();
    expect(s.acquire()).toBe(true);
  });

  it('hold() with `using` releases at the end of the block, also when it throws', async () => {
    const s = new Semaphore(1);
    await run(function* () {
      {
        using _held = yield* M(s, 'hold')();
        expect(s.counter).toBe(0);
      }
      expect(s.counter).toBe(1);
      try {
        using _held = yield* M(s, 'hold')();
        expect(s.locked()).toBe(true);
        throw new Error('inside');
      } catch (e) {
        expect((e as Error).message).toBe('inside');
      }
      expect(s.counter).toBe(1);
      // Disposing twice releases once.
      const h = yield* M(s, 'hold')();
      h[Symbol.dispose]();
      h[Symbol.dispose]();
      expect(s.counter).toBe(1);
    });
  });

  it('hold() serialises greenlets', async () => {
    const lock = new Semaphore(1);
    const log: string[] = [];
    const worker = gf(function* (name: string) {
      using _held = yield* M(lock, 'hold')();
      log.push(`${name}+`);
      yield* G(sleep)(0.002);
      log.push(`${name}-`);
    });
    await run(function* () {
      yield* G(joinall)([spawn(worker, 'a'), spawn(worker, 'b'), spawn(worker, 'c')]);
    });
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });

  it('rawlink callbacks are called while a permit is free (gevent test_release_twice)', async () => {
    const s = new Semaphore();
    const result: string[] = [];
    s.rawlink(() => result.push('a'));
    s.release();
    s.rawlink(() => result.push('b'));
    s.release();
    await run(function* () {
      yield* G(sleep)(0.001);
    });
    expect(result.sort()).toEqual(['a', 'b']);
    expect(s.linkcount()).toBe(0);
  });

  it('rawlink callbacks are not called while no permit is free', async () => {
    const s = new Semaphore(0);
    const result: string[] = [];
    s.rawlink(() => result.push('x'));
    await run(function* () {
      yield* G(sleep)(0.001);
      expect(result).toEqual([]);
      s.release();
      yield* G(sleep)(0.001);
    });
    expect(result).toEqual(['x']);
  });

  it('gevent.wait() on a free semaphore returns at once (gevent issue 1287), and waits on a taken one', async () => {
    await run(function* () {
      const s = new Semaphore();
      expect(yield* G(wait)([s])).toEqual([s]);
      const taken = new Semaphore(0);
      expect(yield* G(wait)([taken], { timeout: 0.01 })).toEqual([]);
      expect(taken.linkcount()).toBe(0);
    });
  });

  it('is fair: a greenlet that keeps re-acquiring cannot starve a waiter (gevent issue 1487)', async () => {
    // Two chains of greenlets pass the semaphore between them forever unless the waiter `exiting` gets its
    // turn; once it has, the chains see `shouldQuit` and stop (only the first chain's head stays blocked).
    const sem = new Semaphore();
    const shouldQuit: boolean[] = [];
    const acquireThenExit = gf(function* () {
      yield* M(sem, 'acquire')();
      shouldQuit.push(true);
    });
    const acquireThenSpawn: (...a: unknown[]) => void = gf(function* () {
      if (shouldQuit.length > 0) return;
      yield* M(sem, 'acquire')();
      const g = spawn(releaseThenSpawn);
      yield* M(g, 'join')();
    });
    const releaseThenSpawn: (...a: unknown[]) => void = gf(function* () {
      sem.release();
      if (shouldQuit.length > 0) return;
      const g = spawn(acquireThenSpawn);
      yield* M(g, 'join')();
    });
    await run(function* () {
      const keepGoing1 = spawn(acquireThenSpawn);
      const keepGoing2 = spawn(acquireThenSpawn);
      const exiting = spawn(acquireThenExit);
      yield* G(joinall)([keepGoing2, exiting], { timeout: 5 });
      expect(exiting.dead).toBe(true);
      expect(keepGoing2.dead).toBe(true);
      expect(keepGoing1.dead).toBe(false);
      yield* G(killall)([keepGoing1]);
    });
  });

  it('works from many greenlets without losing or inventing permits', async () => {
    const s = new Semaphore(3);
    let inside = 0;
    let most = 0;
    const worker = gf(function* (i: number) {
      for (let k = 0; k < 5; k++) {
        yield* M(s, 'acquire')();
        inside++;
        most = Math.max(most, inside);
        yield* G(sleep)(i % 3 === 0 ? 0 : 0.001);
        inside--;
        s.release();
      }
    });
    await run(function* () {
      const gs: Greenlet<void>[] = [];
      for (let i = 0; i < 20; i++) gs.push(spawn(worker, i));
      yield* G(joinall)(gs);
    });
    expect(most).toBe(3);
    expect(s.counter).toBe(3);
    expect(s.linkcount()).toBe(0);
  });
});

describe('BoundedSemaphore and Lock', () => {
  it('BoundedSemaphore throws on release above its initial value, counter unchanged', () => {
    const s = new BoundedSemaphore(2);
    expect(() => s.release()).toThrow(/released too many times: it is already at its initial value 2/);
    expect(s.counter).toBe(2);
    s.acquire();
    expect(s.release()).toBe(2);
    expect(() => s.release()).toThrow(Error);
  });

  it('Lock is a mutex: release when not locked throws', async () => {
    const l = new Lock();
    expect(l.locked()).toBe(false);
    expect(() => l.release()).toThrow(/Lock\.release\(\): the lock is not locked/);
    expect(l.acquire()).toBe(true);
    expect(l.locked()).toBe(true);
    expect(l.acquire({ blocking: false })).toBe(false);
    await run(function* () {
      const other = spawn(
        gf(function* () {
          return yield* M(l, 'acquire')({ timeout: 5 });
        }),
      );
      yield* G(sleep)(0);
      expect(other.dead).toBe(false);
      l.release(); // no owner: any greenlet may release a Lock
      yield* G(joinall)([other]);
      expect(other.value).toBe(true);
    });
    expect(l.locked()).toBe(true);
  });
});

describe('DummySemaphore', () => {
  it('never blocks, plainly or green', async () => {
    const d = new DummySemaphore(0);
    expect(d.acquire()).toBe(true);
    expect(d.acquire()).toBe(true);
    expect(d.locked()).toBe(false);
    expect(d.ready()).toBe(true);
    expect(d.wait()).toBe(1);
    d.release();
    d.rawlink(() => {});
    d.unlink(() => {});
    await run(function* () {
      expect(yield* M(d, 'acquire')({ timeout: 1 })).toBe(true);
      using _h = yield* M(d, 'hold')();
      expect(yield* G(wait)([d])).toEqual([d]);
    });
  });
});

describe('RLock', () => {
  it('is re-entrant for its owner and freed by the last release', async () => {
    const r = new RLock();
    await run(function* () {
      expect(yield* M(r, 'acquire')()).toBe(true);
      expect(yield* M(r, 'acquire')()).toBe(true);
      expect(r.locked()).toBe(true);
      const other = spawn(
        gf(function* () {
          return yield* M(r, 'acquire')();
        }),
      );
      yield* G(sleep)(0.002);
      expect(other.dead).toBe(false);
      r.release();
      yield* G(sleep)(0.002);
      expect(other.dead).toBe(false); // still held once
      r.release();
      yield* G(joinall)([other], { timeout: 5 });
      expect(other.value).toBe(true);
      // Now `other` (dead) owns it: we cannot take it, and cannot release it.
      expect(yield* M(r, 'acquire')({ timeout: 0.01 })).toBe(false);
      expect(yield* M(r, 'acquire')({ blocking: false })).toBe(false);
      expect(() => r.release()).toThrow(/cannot release un-acquired lock: it is owned by Greenlet-/);
    });
  });

  it('release by a greenlet that does not own it throws', () => {
    const r = new RLock();
    expect(() => r.release()).toThrow(/owned by nobody/);
    expect(r.acquire()).toBe(true); // plainly, by the main greenlet
    expect(r.acquire()).toBe(true);
    r.release();
    r.release();
    expect(r.locked()).toBe(false);
    expect(() => r.release()).toThrow(Error);
  });

  it('hold() with `using`', async () => {
    const r = new RLock();
    await run(function* () {
      {
        using _a = yield* M(r, 'hold')();
        using _b = yield* M(r, 'hold')();
        expect(r.locked()).toBe(true);
      }
      expect(r.locked()).toBe(false);
    });
  });

  it('a killed waiter does not keep the lock from the next one', async () => {
    const r = new RLock();
    await run(function* () {
      expect(yield* M(r, 'acquire')()).toBe(true);
      const take = gf(function* () {
        return yield* M(r, 'acquire')();
      });
      const a = spawn(take);
      const b = spawn(take);
      yield* G(sleep)(0);
      r.release();
      yield* M(a, 'kill')({ block: false });
      yield* G(joinall)([a, b], { timeout: 5 });
      expect(a.value).toBeInstanceOf(GreenletExit);
      expect(b.value).toBe(true);
      expect(r.locked()).toBe(true);
    });
  });
});
