/**
 * The timeout behaviours gevent checks for every blocking call with its generic test cases
 * (gevent.testing.timing: AbstractGenericGetTestCase and AbstractGenericWaitTestCase, used by test__event,
 * test__greenlet, test__queue, test__pool, test__hub): a "get" raises when its timeout passes (a number raises
 * the call's own error; a Timeout given as the timeout raises that very Timeout, or its exception), a "wait"
 * just returns, and an outer Timeout is never lost or turned into the call's own error.
 *
 * Timing is checked from below only (a wait never ends early); the upper bounds are loose, since the machine
 * may be busy with other work.
 */
import { describe, expect, it } from 'vitest';
import { Greenlet, Timeout, getHub, joinall, sleep, spawn, wait } from '../../src/index.js';
import { AsyncResult, Event } from '../../src/event.js';
import { Channel, Empty, Full, LifoQueue, PriorityQueue, Queue, SimpleQueue } from '../../src/queue.js';
import { Pool } from '../../src/pool.js';
import { G, M, caught, gf, run } from '../helpers/green.js';
import type { Green } from '../../src/index.js';

const SMALL = 0.02;
const forever = gf(function* forever() {
  yield* G(sleep)(10);
});

interface GetCase {
  name: string;
  /** The error a numeric timeout raises. */
  error: new (...a: any[]) => Error;
  /** Block until `timeout` (number or Timeout); cleanup after. */
  wait(timeout: number | Timeout): Green<unknown>;
}

const killAfter = function* <T>(g: Greenlet<any>, body: Green<T>): Green<T> {
  try {
    return yield* body;
  } finally {
    g.kill({ block: false });
  }
};

const getCases: GetCase[] = [
  { name: 'AsyncResult.get', error: Timeout, wait: (timeout) => M(new AsyncResult(), 'get')({ timeout }) },
  {
    name: 'Greenlet.get',
    error: Timeout,
    wait(timeout) {
      const g = spawn(forever);
      return killAfter(g, M(g, 'get')({ timeout }));
    },
  },
  ...[Queue, SimpleQueue, LifoQueue, PriorityQueue].map((Kind) => ({
    name: `${Kind.name}.get`,
    error: Empty,
    wait: (timeout: number | Timeout) => M(new (Kind as typeof Queue)(), 'get')({ timeout }),
  })),
  { name: 'Queue.peek', error: Empty, wait: (timeout) => M(new Queue(), 'peek')({ timeout }) },
  { name: 'Channel.get', error: Empty, wait: (timeout) => M(new Channel(), 'get')({ timeout }) },
  ...[Queue, LifoQueue, PriorityQueue].map((Kind) => ({
    name: `${Kind.name}(1).put when full`,
    error: Full,
    wait(timeout: number | Timeout) {
      const q = new (Kind as typeof Queue)(1);
      q.putNowait(1);
      return M(q, 'put')(2, { timeout });
    },
  })),
  { name: 'Channel.put', error: Full, wait: (timeout) => M(new Channel(), 'put')(1, { timeout }) },
];

describe('blocking gets time out as in gevent (AbstractGenericGetTestCase)', () => {
  for (const c of getCases) {
    describe(c.name, () => {
      it('a number of seconds raises its own error, not earlier than that', async () => {
        await run(function* () {
          const t0 = performance.now();
          const e = yield* caught(() => c.wait(SMALL));
          expect(e).toBeInstanceOf(c.error);
          expect(performance.now() - t0).toBeGreaterThanOrEqual(SMALL * 1000 - 2);
          yield* G(sleep)(0); // a greenlet the case spawned dies of its kill
          expect(getHub().timers.size).toBe(0);
        });
      });

      it('a Timeout given as the timeout raises that very Timeout, which is not pending after', async () => {
        await run(function* () {
          const t = new Timeout(SMALL);
          expect(yield* caught(() => c.wait(t))).toBe(t);
          expect(t.pending).toBe(false);
          yield* G(sleep)(0);
          expect(getHub().timers.size).toBe(0);
        });
      });

      it('a Timeout with its own exception raises that exception', async () => {
        await run(function* () {
          const error = new RangeError('expected error');
          const t = new Timeout(SMALL, error);
          expect(yield* caught(() => c.wait(t))).toBe(error);
          expect(t.pending).toBe(false);
        });
      });

      it('an outer Timeout is not lost: it is raised as itself (test_outer_timeout_is_not_lost)', async () => {
        await run(function* () {
          const outer = Timeout.startNew(0.001);
          try {
            expect(yield* caught(() => c.wait(1))).toBe(outer);
          } finally {
            outer.cancel();
          }
          yield* G(sleep)(0);
          expect(getHub().timers.size).toBe(0);
        });
      });
    });
  }
});

interface WaitCase {
  name: string;
  /** What the call returns after its timeout. */
  expected: unknown;
  wait(timeout: number): Green<unknown>;
}

const waitCases: WaitCase[] = [
  { name: 'sleep', expected: undefined, wait: (timeout) => G(sleep)(timeout) },
  { name: 'Event.wait', expected: false, wait: (timeout) => M(new Event(), 'wait')(timeout) },
  { name: 'AsyncResult.wait', expected: undefined, wait: (timeout) => M(new AsyncResult(), 'wait')(timeout) },
  { name: 'wait([Event])', expected: [], wait: (timeout) => G(wait)([new Event()], { timeout }) },
  { name: 'wait([AsyncResult])', expected: [], wait: (timeout) => G(wait)([new AsyncResult()], { timeout }) },
  {
    name: 'Greenlet.join',
    expected: undefined,
    wait(timeout) {
      const g = spawn(forever);
      return killAfter(g, M(g, 'join')(timeout));
    },
  },
  { name: 'joinall([never started])', expected: [], wait: (timeout) => G(joinall)([new Greenlet(() => {})], { timeout }) },
  {
    name: 'joinall([sleeping])',
    expected: [],
    wait(timeout) {
      const g = spawn(forever);
      return killAfter(g, G(joinall)([g], { timeout }));
    },
  },
  {
    name: 'Pool.join',
    expected: false,
    wait(timeout) {
      const p = new Pool();
      const g = spawn(forever);
      p.add(g);
      return killAfter(g, M(p, 'join')({ timeout }));
    },
  },
  {
    name: 'Pool.join({raiseError})',
    expected: false,
    wait(timeout) {
      const p = new Pool();
      const g = spawn(forever);
      p.add(g);
      return killAfter(g, M(p, 'join')({ timeout, raiseError: true }));
    },
  },
];

describe('blocking waits return when their timeout passes (AbstractGenericWaitTestCase)', () => {
  for (const c of waitCases) {
    it(`${c.name}: returns ${JSON.stringify(c.expected)}, not earlier than the timeout; an outer Timeout is raised as itself`, async () => {
      await run(function* () {
        const t0 = performance.now();
        expect(yield* c.wait(0.05)).toEqual(c.expected);
        expect(performance.now() - t0).toBeGreaterThanOrEqual(48);
        const outer = Timeout.startNew(0.001);
        try {
          expect(yield* caught(() => c.wait(1))).toBe(outer);
        } finally {
          outer.cancel();
        }
        yield* G(sleep)(0);
        expect(getHub().timers.size).toBe(0);
      });
    });
  }
});
