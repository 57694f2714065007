/**
 * joinall, killall and wait — gevent's test__joinall.py and the joinall/killall cases of test__greenlet.py,
 * checked against gevent 22.10.2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GREEN, Greenlet, Timeout, getHub, joinall, killall, kill, sleep, spawn, wait } from '../../src/index.js';
import { Event } from '../../src/event.js';
import { G, M, finishInOrder, gf, run } from '../helpers/green.js';

class ExpectedError extends Error {}

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

const after = gf(function* after(seconds: number, value: unknown) {
  yield* G(sleep)(seconds);
  return value;
});
const failAfter = gf(function* failAfter(seconds: number, message: string) {
  yield* G(sleep)(seconds);
  throw new ExpectedError(message);
});
const values = (gs: Greenlet<any>[]) => gs.map((g) => g.value);

describe('joinall', () => {
  it('waits for all and returns them in completion order', async () => {
    await run(function* () {
      const [a, b, c] = finishInOrder(['a', 'b', 'c'], ['b', 'c', 'a']);
      const done = yield* G(joinall)([a, b, c]);
      expect(values(done)).toEqual(['b', 'c', 'a']);
      expect([a, b, c].every((g) => g.dead)).toBe(true);
    });
  });

  it('with a timeout returns the ones finished so far, in completion order, without raising', async () => {
    await run(function* () {
      const [a, b, c] = finishInOrder(['a', 'b', 'c'], ['b', 'a']);
      const t0 = performance.now();
      const done = yield* G(joinall)([a, b, c], { timeout: 0.1 });
      expect(values(done)).toEqual(['b', 'a']);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
      expect(c.dead).toBe(false);
      yield* M(c, 'kill')();
    });
  });

  it('with count returns after that many have finished', async () => {
    await run(function* () {
      const sleeper = spawn(after, 10, 'sleeper');
      const raiser = spawn(() => {
        throw new ExpectedError('count');
      });
      const done = yield* G(joinall)([sleeper, raiser], { count: 1 });
      expect(done).toEqual([raiser]);
      expect(raiser.ready()).toBe(true);
      expect(sleeper.ready()).toBe(false);
      yield* M(sleeper, 'kill')();
      expect(sleeper.ready()).toBe(true);
    });
  });

  it('with raiseError and no failures returns all (test_wait_noerrors)', async () => {
    await run(function* () {
      const gs = [spawn(() => 1), spawn(() => 2), spawn(() => 3)];
      yield* G(joinall)(gs, { raiseError: true });
      expect(values(gs)).toEqual([1, 2, 3]);
    });
  });

  it('with raiseError raises the first failure as soon as it happens, while the others still run', async () => {
    await run(function* () {
      const xMayFinish = new Event();
      const x = spawn(gf(function* () {
        yield* M(xMayFinish, 'wait')();
        return 'x';
      }));
      const y = spawn(failAfter, 0.01, 'y failed');
      let caught: unknown;
      try {
        yield* G(joinall)([x, y], { raiseError: true });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ExpectedError);
      expect((caught as Error).message).toBe('y failed');
      expect(x.dead).toBe(false); // raised as soon as y failed: x is still waiting
      xMayFinish.set();
      // an already failed greenlet raises at once
      let again: unknown;
      try {
        yield* G(joinall)([y], { raiseError: true });
      } catch (e) {
        again = e;
      }
      expect(again).toBe(caught);
      yield* M(x, 'join')();
      expect(x.value).toBe('x');
    });
  });

  it('with raiseError raises the earliest failure (test_joinall_exception_order)', async () => {
    await run(function* () {
      const a = spawn(failAfter, 0.1, 'first');
      const b = spawn(() => {
        throw new ExpectedError('second');
      });
      let caught: unknown;
      try {
        yield* G(joinall)([a, b], { raiseError: true });
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).message).toBe('second');
      yield* G(joinall)([a, b]); // without raiseError: never raises
      expect((a.exception as Error).message).toBe('first');
    });
  });

  it('a killed greenlet (GreenletExit) is not a failure for raiseError', async () => {
    await run(function* () {
      const a = spawn(after, 10, 'a');
      const b = spawn(after, 0.01, 'b');
      kill(a);
      const done = yield* G(joinall)([a, b], { raiseError: true });
      expect(done).toEqual([a, b]);
    });
  });

  it('accepts the same greenlet twice (test__joinall)', async () => {
    await run(function* () {
      const a = spawn(() => 1);
      const b = spawn(() => 2);
      const done = yield* G(joinall)([a, b, a]);
      expect(done).toHaveLength(3);
      expect(new Set(done)).toEqual(new Set([a, b]));
    });
  });

  it('of nothing returns at once', async () => {
    await run(function* () {
      expect(yield* G(joinall)([])).toEqual([]);
      expect(yield* G(wait)([])).toEqual([]);
    });
  });

  it('of finished greenlets works from plain code too', async () => {
    const a = spawn(() => 1);
    await a;
    expect(joinall([a])).toEqual([a]);
  });
});

describe('killall', () => {
  it('kills them all, running their finally blocks, and returns once they are dead', async () => {
    await run(function* () {
      const log: string[] = [];
      const body = gf(function* (name: string) {
        try {
          yield* G(sleep)(10);
        } finally {
          log.push(name);
        }
      });
      const gs = [spawn(body, 'a'), spawn(body, 'b')];
      yield* G(sleep)(0);
      const done = spawn(() => 'done');
      yield* M(done, 'join')();
      gs.push(spawn(() => log.push('never ran')));
      yield* G(killall)([...gs, done]);
      expect(log.sort()).toEqual(['a', 'b']);
      expect(gs.every((g) => g.dead && g.successful())).toBe(true);
      expect(done.value).toBe('done'); // the dead one is left as it was
    });
  });

  it('with an exception class raises a fresh instance in each', async () => {
    await run(function* () {
      const gs = [spawn(after, 10, 1), spawn(after, 10, 2)];
      yield* G(sleep)(0);
      yield* G(killall)(gs, { exception: ExpectedError });
      expect(gs[0].exception).toBeInstanceOf(ExpectedError);
      expect(gs[1].exception).toBeInstanceOf(ExpectedError);
      expect(gs[0].exception).not.toBe(gs[1].exception);
    });
  });

  it('with a timeout raises Timeout if they do not die in time (as gevent 22.10)', async () => {
    await run(function* () {
      const stubborn = spawn(
        gf(function* () {
          try {
            yield* G(sleep)(10);
          } finally {
            yield* G(sleep)(0.3);
          }
        }),
      );
      yield* G(sleep)(0);
      let caught: unknown;
      try {
        yield* G(killall)([stubborn], { timeout: 0.02 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Timeout);
      expect(stubborn.dead).toBe(false);
      yield* M(stubborn, 'join')();
    });
  });

  it('with block:false returns at once; the greenlets die when they next run', async () => {
    await run(function* () {
      const g = spawn(after, 10, 'x');
      yield* G(sleep)(0);
      yield* G(killall)([g], { block: false });
      expect(g.dead).toBe(false);
      yield* G(sleep)(0.01);
      expect(g.dead).toBe(true);
    });
  });

  it('skips the calling greenlet', async () => {
    await run(function* () {
      const other = spawn(after, 10, 'other');
      const self: Greenlet<unknown> = spawn(
        gf(function* () {
          yield* G(killall)([self, other]);
          return 'survived';
        }),
      );
      expect(yield* M(self, 'get')()).toBe('survived');
      expect(other.dead).toBe(true);
    });
  });
});

describe('wait', () => {
  it('with a timeout returns what is ready by then', async () => {
    await run(function* () {
      const a = spawn(after, 0.01, 'a');
      const b = spawn(after, 5, 'b');
      expect(yield* G(wait)([a, b], { timeout: 0.05 })).toEqual([a]);
      const t0 = performance.now();
      // b still sleeps: false at the timeout (wait() with no objects is tested in a real process, in hub.test.ts)
      expect(yield* (wait as any)[GREEN](null, { timeout: 0.02 })).toBe(false);
      expect(performance.now() - t0).toBeLessThan(3000); // b sleeps 5 s: wait ended at its timeout
      yield* M(b, 'kill')();
    });
  });
});

describe('wait and joinall leave nothing behind', () => {
  it('cut short by an outer Timeout or a kill, they unlink from every object and cancel their timer', async () => {
    await run(function* () {
      const ev = new Event();
      const g = spawn(after, 10, 'g');
      for (const call of [
        () => G(wait)([ev, g], { timeout: 5 }),
        () => G(joinall)([g], { timeout: 5 }),
        () => G(joinall)([g], { raiseError: true }),
      ]) {
        const t = Timeout.startNew(0.001);
        let caught: unknown;
        try {
          yield* call();
        } catch (e) {
          caught = e;
        }
        expect(caught).toBe(t);
        expect(ev.linkcount()).toBe(0);
        expect(g._hasLinks()).toBe(false);
      }
      const waiter = spawn(gf(function* () { yield* G(wait)([ev, g], { timeout: 5 }); }));
      yield* G(sleep)(0);
      expect(ev.linkcount()).toBe(1);
      yield* M(waiter, 'kill')();
      expect(ev.linkcount()).toBe(0);
      expect(g._hasLinks()).toBe(false);
      yield* M(g, 'kill')();
      expect(getHub().timers.size).toBe(0);
    });
  });
});

describe('joinall beside other links', () => {
  it('a greenlet with user links of its own is joined and each of its links fires once, from the hub', async () => {
    await run(function* () {
      const log: string[] = [];
      const [a, b] = finishInOrder(['a', 'b'], ['b', 'a']);
      a.rawlink(() => log.push('a raw'));
      a.link(() => log.push('a link'));
      const done = yield* G(joinall)([a, b]);
      expect(values(done)).toEqual(['b', 'a']);
      yield* G(sleep)(0);
      expect(log).toEqual(['a raw', 'a link']);
      // joinall's own link left nothing behind, and a later joinall of the dead ones works at once
      expect(a._hasLinks() || b._hasLinks()).toBe(false);
      expect(yield* G(joinall)([a, b])).toEqual([a, b]);
    });
  });
});
