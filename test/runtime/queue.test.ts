/**
 * greenlets/queue: the behaviours gevent's test__queue.py checks (ported case by case), Python 3.13's shutdown
 * as gevent 24.10 implements it, and the rules every blocking primitive follows (registrations undone however
 * a wait ends, a wake-up is a hint, FIFO service, plain calls). Semantics checked against gevent 22.10.2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockingSwitchOutError, GREEN_ITERATOR, Timeout, getHub, joinall, sleep, spawn } from '../../src/index.js';
import { collect, greenIterator } from '../../src/runtime/convention.js';
import {
  Channel,
  Empty,
  Full,
  JoinableQueue,
  LifoQueue,
  PriorityQueue,
  Queue,
  ShutDown,
  SimpleQueue,
  naturalCompare,
} from '../../src/queue.js';
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

/** Run `body` in green code and return what it threw (undefined if nothing). */
function* caught(body: () => Generator<unknown, unknown, unknown>): Generator<unknown, unknown, unknown> {
  try {
    yield* body();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A greenlet that gets one item from `q` and logs it under `name`. */
const getter = gf(function* getter(q: Queue<any> | Channel<any>, name: string, log: unknown[]) {
  const item = yield* M(q as Queue<any>, 'get')();
  log.push([name, item]);
  return item;
});

const putter = gf(function* putter(q: Queue<any> | Channel<any>, item: unknown, log: unknown[]) {
  yield* M(q as Queue<any>, 'put')(item);
  log.push(item);
});

/** A getter whose wait is cut short by Timeout(0) raising `RuntimeError` (gevent's do_receive). */
class RuntimeErr extends Error {}
const doReceive = gf(function* doReceive(q: Queue<any> | Channel<any>) {
  const t = Timeout.startNew(0, new RuntimeErr());
  try {
    yield* M(q as Queue<any>, 'get')();
    return 'got something';
  } catch (e) {
    if (e instanceof RuntimeErr) return 'timed out';
    throw e;
  } finally {
    t.cancel();
  }
});

describe('Queue: state and non-blocking calls', () => {
  it('is FIFO; qsize/empty/full follow the items; maxsize is null when unbounded (omitted, null or 0)', () => {
    const q = new Queue<number>(2);
    expect(q.maxsize).toBe(2);
    expect(q.empty()).toBe(true);
    expect(q.full()).toBe(false);
    q.putNowait(1);
    q.put(2); // a put with room never suspends, so a plain call works
    expect(q.qsize()).toBe(2);
    expect(q.full()).toBe(true);
    expect(q.get()).toBe(1);
    expect(q.getNowait()).toBe(2);
    expect(q.empty()).toBe(true);
    expect(new Queue().maxsize).toBe(null);
    expect(new Queue(null).maxsize).toBe(null);
    expect(new Queue(0).maxsize).toBe(null);
    expect(new Queue(-1).full()).toBe(false);
  });

  it('getNowait/peekNowait on an empty queue throw Empty; putNowait on a full one throws Full', () => {
    const q = new Queue<number>(1);
    expect(() => q.getNowait()).toThrow(Empty);
    expect(() => q.peekNowait()).toThrow(Empty);
    expect(() => q.get({ block: false })).toThrow(Empty);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(Full);
    expect(() => q.put(2, { block: false })).toThrow(Full);
    expect(() => q.put(2, { block: false, timeout: 5 })).toThrow(Full); // timeout is ignored without block
    expect(q.qsize()).toBe(1);
    const e = (() => {
      try {
        q.putNowait(3);
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e?.name).toBe('Full');
    expect(e?.message).toMatch(/full/);
  });

  it('peek returns the next item without removing it (test_send_first)', () => {
    const q = new Queue<string>();
    q.put('hi');
    expect(q.peek()).toBe('hi');
    expect(q.peekNowait()).toBe('hi');
    expect(q.get()).toBe('hi');
  });

  it('a blocking get/peek/put called plainly throws BlockingSwitchOutError and leaves no waiter behind', async () => {
    const q = new Queue<number>(1);
    expect(() => q.get()).toThrow(BlockingSwitchOutError);
    expect(() => q.peek()).toThrow(BlockingSwitchOutError);
    expect(() => q.get({ timeout: 1 })).toThrow(/Queue\.get would block/);
    expect(String(q)).toBe('<Queue maxsize=1 qsize=0>');
    q.put(1);
    expect(() => q.put(2)).toThrow(BlockingSwitchOutError);
    expect(String(q)).toBe('<Queue maxsize=1 qsize=1 tasks=1>');
    expect(getHub().timers.size).toBe(0);
    // the queue still works for greenlets: nobody stale is woken in place of a real waiter
    const log: unknown[] = [];
    await run(function* () {
      expect(yield* M(q, 'get')()).toBe(1);
      const g = spawn(getter, q, 'A', log);
      yield* G(sleep)(0);
      q.put(5);
      yield* M(g, 'join')();
    });
    expect(log).toEqual([['A', 5]]);
  });

  it('refuses a bad maxsize, a bad timeout and a negative one', () => {
    expect(() => new Queue('3' as never)).toThrow(TypeError);
    const q = new Queue<number>(1);
    q.put(1);
    expect(() => q.put(2, { timeout: -1 })).toThrow(RangeError);
    expect(() => new Queue().get({ timeout: -1 })).toThrow(/non-negative/);
    expect(() => new Queue().get({ timeout: 'x' as never })).toThrow(TypeError);
  });

  it('JoinableQueue is Queue; SimpleQueue is unbounded', () => {
    expect(JoinableQueue).toBe(Queue);
    const s = new SimpleQueue<number>();
    for (let i = 0; i < 1000; i++) s.put(i);
    expect(s.full()).toBe(false);
    expect(s.maxsize).toBe(null);
    expect(s.get()).toBe(0);
    expect(s).toBeInstanceOf(Queue);
  });

  it('takes initial items, each an unfinished task unless told otherwise', () => {
    const q = new Queue<number>(null, { items: [1, 2, 3] });
    expect(q.qsize()).toBe(3);
    expect(q.unfinishedTasks).toBe(3);
    expect(q.getNowait()).toBe(1);
    expect(new Queue(null, { items: [1], unfinishedTasks: 5 }).unfinishedTasks).toBe(5);
    expect(() => new Queue(null, { unfinishedTasks: -1 })).toThrow(RangeError);
  });

  it('subclasses change the store through _init/_put/_get (test_init_and_bottleneck_methods)', () => {
    class Counting<T> extends Queue<T> {
      declare initted: boolean;
      declare puts: number;
      declare gets: number;
      protected override _init(options: undefined): void {
        super._init(options);
        this.initted = true;
        this.puts = 0;
        this.gets = 0;
      }
      protected override _put(item: T): void {
        this.puts++;
        super._put(item);
      }
      protected override _get(): T {
        this.gets++;
        return super._get();
      }
    }
    const x = new Counting<string>();
    x.put('hi');
    expect(x.get()).toBe('hi');
    expect([x.initted, x.puts, x.gets]).toEqual([true, 1, 1]);
  });

  it('putNowait/getNowait work from a hub callback (test_put_nowait_simple, test_get_nowait_simple)', async () => {
    const results: unknown[] = [];
    const store = (fn: () => unknown) => () => {
      try {
        results.push(fn());
      } catch (e) {
        results.push(e);
      }
    };
    const q = new Queue<number>(1);
    await run(function* () {
      getHub().runCallback(store(() => q.putNowait(2)));
      getHub().runCallback(store(() => q.putNowait(3)));
      yield* G(sleep)(0);
    });
    expect(results[0]).toBe(undefined);
    expect(results[1]).toBeInstanceOf(Full);
    results.length = 0;
    await run(function* () {
      getHub().runCallback(store(() => q.getNowait()));
      getHub().runCallback(store(() => q.getNowait()));
      yield* G(sleep)(0);
    });
    expect(results[0]).toBe(2);
    expect(results[1]).toBeInstanceOf(Empty);
  });
});

describe('Queue: blocking', () => {
  it('Queue(2) blocks the third put until a get makes room (test_max_size)', async () => {
    const q = new Queue<string>(2);
    const results: string[] = [];
    await run(function* () {
      const p = spawn(
        gf(function* () {
          for (const x of ['a', 'b', 'c']) {
            yield* M(q, 'put')(x);
            results.push(x);
          }
          return 'OK';
        }),
      );
      yield* G(sleep)(0);
      expect(results).toEqual(['a', 'b']);
      expect(q.full()).toBe(true);
      expect(yield* M(q, 'get')()).toBe('a');
      yield* G(sleep)(0);
      expect(results).toEqual(['a', 'b', 'c']);
      expect(yield* M(q, 'get')()).toBe('b');
      expect(yield* M(q, 'get')()).toBe('c');
      expect(yield* M(p, 'get')({ timeout: 0 })).toBe('OK');
    });
  });

  it('a getter that waits receives what is put later (test_send_last, test_senders_that_die)', async () => {
    const q = new Queue<string>();
    await run(function* () {
      const p = spawn(gf(function* () {
        const t = Timeout.startNew(1);
        try {
          expect(yield* M(q, 'get')()).toBe('hi2');
        } finally {
          t.cancel();
        }
        return 'OK';
      }));
      yield* G(sleep)(0.01);
      q.put('hi2');
      yield* G(sleep)(0.01);
      expect(yield* M(p, 'get')({ timeout: 0 })).toBe('OK');
      spawn(gf(function* () { yield* M(q, 'put')('sent'); }));
      expect(yield* M(q, 'get')()).toBe('sent');
    });
  });

  it('blocked getters are served FIFO, one item each (test_multiple_waiters)', async () => {
    const q = new Queue<number>();
    const log: unknown[] = [];
    await run(function* () {
      const gs = ['A', 'B', 'C', 'D'].map((n) => spawn(getter, q, n, log));
      yield* G(sleep)(0.01);
      q.put(0);
      yield* G(sleep)(0);
      expect(log).toEqual([['A', 0]]);
      q.put(1);
      q.put(2);
      q.put(3);
      yield* G(joinall)(gs);
    });
    expect(log).toEqual([['A', 0], ['B', 1], ['C', 2], ['D', 3]]);
  });

  it('blocked putters are served FIFO', async () => {
    const q = new Queue<string>(1);
    q.put('x');
    const log: unknown[] = [];
    await run(function* () {
      const gs = ['A', 'B', 'C'].map((n) => spawn(putter, q, n, log));
      yield* G(sleep)(0);
      const got: string[] = [];
      for (let i = 0; i < 4; i++) got.push(yield* M(q, 'get')());
      expect(got).toEqual(['x', 'A', 'B', 'C']);
      yield* G(joinall)(gs);
    });
    expect(log).toEqual(['A', 'B', 'C']);
  });

  it('a greenlet that finds an item may take it before a woken getter runs, which then keeps its place', async () => {
    // gevent: put() only schedules the hand-off, so a get() in the putting greenlet takes the item first.
    const q = new Queue<number>();
    const log: unknown[] = [];
    await run(function* () {
      const a = spawn(getter, q, 'A', log);
      const b = spawn(getter, q, 'B', log);
      yield* G(sleep)(0);
      q.put(1);
      log.push(['main', q.getNowait()]);
      yield* G(sleep)(0); // A wakes to nothing and waits again, ahead of B
      q.put(2);
      q.put(3);
      yield* G(joinall)([a, b]);
    });
    expect(log).toEqual([['main', 1], ['A', 2], ['B', 3]]);
  });

  it('get with a timeout throws Empty after about that long; put with a timeout throws Full', async () => {
    await run(function* () {
      const q = new Queue<number>(1);
      let t0 = performance.now();
      const e = (yield* caught(() => M(q, 'get')({ timeout: 0.05 }))) as Error;
      expect(e).toBeInstanceOf(Empty);
      expect(e.message).toMatch(/stayed empty for 0.05 seconds/);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
      expect((yield* caught(() => M(q, 'peek')({ timeout: 0.01 })))).toBeInstanceOf(Empty);
      q.put(1);
      t0 = performance.now();
      const f = (yield* caught(() => M(q, 'put')(2, { timeout: 0.05 }))) as Error;
      expect(f).toBeInstanceOf(Full);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
      expect(q.qsize()).toBe(1);
      expect(String(q)).toBe('<Queue maxsize=1 qsize=1 tasks=1>');
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('an outer Timeout ends a get as itself, not as Empty, and the getter leaves the line', async () => {
    await run(function* () {
      const q = new Queue<number>();
      const t = Timeout.startNew(0.01);
      expect(yield* caught(() => M(q, 'get')({ timeout: 5 }))).toBe(t);
      expect(String(q)).toBe('<Queue qsize=0>');
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('a getter cut short by a Timeout leaves the item for the next (test_waiters_that_cancel, test_two_bogus_waiters)', async () => {
    await run(function* () {
      const q = new Queue<string>();
      const g = spawn(doReceive, q);
      expect(yield* M(g, 'get')()).toBe('timed out');
      q.put('hi');
      expect(yield* M(q, 'get')()).toBe('hi');

      const e1 = spawn(doReceive, q);
      const e2 = spawn(doReceive, q);
      yield* G(sleep)(0.05);
      q.put('sent');
      expect(yield* M(e1, 'get')()).toBe('timed out');
      expect(yield* M(e2, 'get')()).toBe('timed out');
      expect(yield* M(q, 'get')()).toBe('sent');
    });
  });

  it('of two waiters, when one dies the other gets the item (test_two_waiters_one_dies)', async () => {
    await run(function* () {
      const q = new Queue<string>();
      const log: unknown[] = [];
      const dying = spawn(doReceive, q);
      const waiting = spawn(getter, q, 'W', log);
      yield* G(sleep)(0.05);
      q.put('hi');
      expect(yield* M(dying, 'get')()).toBe('timed out');
      expect(yield* M(waiting, 'get')()).toBe('hi');
    });
  });

  it('a getter killed after being woken for an item leaves it to the next getter', async () => {
    await run(function* () {
      const q = new Queue<number>();
      const log: unknown[] = [];
      const a = spawn(getter, q, 'A', log);
      const b = spawn(getter, q, 'B', log);
      yield* G(sleep)(0);
      q.put(1); // wakes A...
      a.kill({ block: false }); // ...which dies before it runs
      yield* G(joinall)([a, b]);
      expect(log).toEqual([['B', 1]]);
      expect(q.qsize()).toBe(0);
      expect(String(q)).toBe('<Queue qsize=0 tasks=1>');
    });
  });

  it('a putter killed after being woken for a free slot leaves it to the next putter', async () => {
    await run(function* () {
      const q = new Queue<string>(1);
      q.put('x');
      const log: unknown[] = [];
      const a = spawn(putter, q, 'A', log);
      const b = spawn(putter, q, 'B', log);
      yield* G(sleep)(0);
      expect(q.getNowait()).toBe('x'); // wakes A...
      a.kill({ block: false }); // ...which dies before it runs
      yield* G(joinall)([a, b]);
      expect(log).toEqual(['B']);
      expect(q.getNowait()).toBe('B');
      expect(String(q)).toBe('<Queue maxsize=1 qsize=0 tasks=2>');
    });
  });

  it('a killed waiter leaves no registration: later items go to live getters', async () => {
    await run(function* () {
      const q = new Queue<number>();
      const log: unknown[] = [];
      const a = spawn(getter, q, 'A', log);
      yield* G(sleep)(0);
      expect(String(q)).toBe('<Queue qsize=0 getters[1]>');
      yield* M(a, 'kill')();
      expect(String(q)).toBe('<Queue qsize=0>');
      q.put(1);
      expect(q.qsize()).toBe(1);
    });
  });

  it('peek waits for an item and leaves it; the wake-up passes on to the getters behind (test_peek_multi_greenlet)', async () => {
    const q = new Queue<number>();
    const log: unknown[] = [];
    await run(function* () {
      const peeker = gf(function* (name: string) {
        log.push([name, 'peek', yield* M(q, 'peek')()]);
      });
      const p1 = spawn(peeker, 'P1');
      const g = spawn(getter, q, 'G', log);
      const p2 = spawn(peeker, 'P2');
      yield* G(sleep)(0);
      q.put(7);
      yield* G(joinall)([p1, g]);
      yield* G(sleep)(0);
      // as in gevent: the getter took the item, so the peeker behind it is still waiting
      expect(p2.dead).toBe(false);
      expect(q.qsize()).toBe(0);
      q.put(8);
      yield* M(p2, 'join')();
      expect(q.peekNowait()).toBe(8);
    });
    expect(log).toEqual([['P1', 'peek', 7], ['G', 7], ['P2', 'peek', 8]]);
  });

  it('raising maxsize lets waiting putters in', async () => {
    await run(function* () {
      const q = new Queue<string>(1);
      q.put('x');
      const log: unknown[] = [];
      const gs = ['A', 'B'].map((n) => spawn(putter, q, n, log));
      yield* G(sleep)(0);
      expect(log).toEqual([]);
      q.maxsize = 3;
      yield* G(joinall)(gs);
      expect(log).toEqual(['A', 'B']);
      expect(q.qsize()).toBe(3);
      q.maxsize = 0;
      expect(q.maxsize).toBe(null);
    });
  });
});

describe('Queue: tasks', () => {
  it('counts unfinished tasks; taskDone too many times throws saying so (test_task_done)', async () => {
    await run(function* () {
      const q = new JoinableQueue<object>();
      const X = {};
      spawn(gf(function* () { yield* M(q, 'put')(X); }));
      expect(yield* M(q, 'get')()).toBe(X);
      expect(q.unfinishedTasks).toBe(1);
      q.taskDone();
      expect(q.unfinishedTasks).toBe(0);
      expect(() => q.taskDone()).toThrow(/taskDone\(\) called too many times/);
    });
  });

  it('join returns true at once with no tasks (test_issue_45), false after its timeout, true once all are done', async () => {
    const q = new Queue<number>();
    expect(q.join()).toBe(true); // no suspension: a plain call works
    await run(function* () {
      q.put(1);
      q.put(2);
      expect(yield* M(q, 'join')(0.02)).toBe(false);
      const worker = spawn(gf(function* () {
        for (;;) {
          yield* M(q, 'get')();
          yield* G(sleep)(0.005);
          q.taskDone();
        }
      }));
      const joiners = [1, 2].map(() => spawn(gf(function* () { return yield* M(q, 'join')(); })));
      expect(yield* M(q, 'join')()).toBe(true);
      expect(q.unfinishedTasks).toBe(0);
      for (const j of joiners) expect(yield* M(j, 'get')()).toBe(true);
      worker.kill({ block: false });
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('join called plainly with tasks pending throws BlockingSwitchOutError', () => {
    const q = new Queue<number>();
    q.put(1);
    expect(() => q.join()).toThrow(BlockingSwitchOutError);
  });
});

describe('Queue: shutdown', () => {
  it('shutdown(): put raises ShutDown; get drains what is left, then raises ShutDown', async () => {
    await run(function* () {
      const q = new Queue<string>();
      q.put('L');
      q.putNowait('O');
      q.shutdown();
      expect(q.isShutdown).toBe(true);
      expect(yield* caught(() => M(q, 'put')('E'))).toBeInstanceOf(ShutDown);
      expect(() => q.putNowait('W')).toThrow(ShutDown);
      expect(yield* M(q, 'get')()).toBe('L');
      q.taskDone();
      expect(q.getNowait()).toBe('O');
      q.taskDone();
      expect(yield* M(q, 'join')()).toBe(true);
      expect(yield* caught(() => M(q, 'get')())).toBeInstanceOf(ShutDown);
      expect(() => q.getNowait()).toThrow(ShutDown);
      expect(yield* caught(() => M(q, 'get')({ timeout: 1 }))).toBeInstanceOf(ShutDown);
      expect(yield* caught(() => M(q, 'peek')())).toBeInstanceOf(ShutDown);
    });
  });

  it('shutdown({immediate}): the items are dropped and counted done; get raises at once', async () => {
    await run(function* () {
      const q = new Queue<string>();
      q.put('L');
      q.putNowait('O');
      const joiner = spawn(gf(function* () { return yield* M(q, 'join')(); }));
      yield* G(sleep)(0);
      q.shutdown({ immediate: true });
      expect(q.qsize()).toBe(0);
      expect(yield* caught(() => M(q, 'put')('E'))).toBeInstanceOf(ShutDown);
      expect(yield* caught(() => M(q, 'get')())).toBeInstanceOf(ShutDown);
      expect(() => q.getNowait()).toThrow(ShutDown);
      expect(() => q.taskDone()).toThrow(/too many times/);
      expect(yield* M(q, 'join')()).toBe(true);
      expect(yield* M(joiner, 'get')()).toBe(true);
    });
  });

  it('wakes every blocked getter and putter with ShutDown', async () => {
    await run(function* () {
      const empty = new Queue<number>();
      const full = new Queue<number>(1);
      full.put(0);
      const outcome = gf(function* (body: () => Generator<unknown, unknown, unknown>) {
        const e = yield* caught(body);
        return e instanceof ShutDown ? 'ShutDown' : e;
      });
      const gs = [
        spawn(outcome, () => M(empty, 'get')()),
        spawn(outcome, () => M(empty, 'peek')({ timeout: 5 })),
        spawn(outcome, () => M(full, 'put')(1)),
        spawn(outcome, () => M(full, 'put')(2, { timeout: 5 })),
      ];
      yield* G(sleep)(0);
      empty.shutdown();
      full.shutdown();
      yield* G(joinall)(gs);
      expect(gs.map((g) => g.value)).toEqual(['ShutDown', 'ShutDown', 'ShutDown', 'ShutDown']);
      expect(getHub().timers.size).toBe(0);
      // non-immediate: the item already in the full queue is still there to get
      expect(yield* M(full, 'get')()).toBe(0);
    });
  });
});

describe('Queue: iteration', () => {
  it('green iteration gets each item as it comes and ends at shutdown', async () => {
    const q = new Queue<number>();
    const seen: number[] = [];
    await run(function* () {
      const consumer = spawn(gf(function* () {
        const it = greenIterator(q);
        for (;;) {
          const r = yield* it.next();
          if (r.done) return 'ended';
          seen.push(r.value);
        }
      }));
      for (let i = 0; i < 3; i++) {
        yield* M(q, 'put')(i);
        yield* G(sleep)(0.005);
      }
      expect(consumer.dead).toBe(false);
      q.put(3);
      q.shutdown();
      expect(yield* M(consumer, 'get')()).toBe('ended');
    });
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('collect() (spread in green code) waits for items until shutdown', async () => {
    const q = new Queue<string>();
    const got = await run(function* () {
      spawn(gf(function* () {
        for (const x of ['a', 'b']) {
          yield* G(sleep)(0.005);
          yield* M(q, 'put')(x);
        }
        q.shutdown();
      }));
      return yield* collect(q);
    });
    expect(got).toEqual(['a', 'b']);
  });

  it('plain iteration takes what is queued, ends at shutdown, and throws BlockingSwitchOutError where it would wait', () => {
    const q = new Queue<number>(null, { items: [1, 2] });
    const seen: number[] = [];
    expect(() => {
      for (const x of q) seen.push(x);
    }).toThrow(/Queue iteration would block/);
    expect(seen).toEqual([1, 2]);
    q.put(3);
    q.shutdown();
    expect([...q]).toEqual([3]);
    expect(typeof q[GREEN_ITERATOR]).toBe('function');
  });
});

describe('LifoQueue and PriorityQueue', () => {
  it('LifoQueue returns the newest item first; peek shows it', () => {
    const q = new LifoQueue<number>();
    for (let i = 0; i < 3; i++) q.put(i);
    expect(q.peek()).toBe(2);
    expect([q.get(), q.get(), q.get()]).toEqual([2, 1, 0]);
    expect(new LifoQueue(null, { items: [1, 2] }).get()).toBe(2);
    expect(new LifoQueue()).toBeInstanceOf(Queue);
  });

  it('PriorityQueue orders like heapq: numbers, strings, tuples element by element, a prefix first', () => {
    const q = new PriorityQueue<unknown>();
    for (const x of [[2, 'b'], [1, 'z'], [1, 'a'], [0]]) q.put(x);
    expect([q.get(), q.get(), q.get(), q.get()]).toEqual([[0], [1, 'a'], [1, 'z'], [2, 'b']]);
    const s = new PriorityQueue<string>(null, { items: ['pear', 'apple', 'fig'] });
    expect(s.peek()).toBe('apple');
    expect([s.get(), s.get(), s.get()]).toEqual(['apple', 'fig', 'pear']);
    const n = new PriorityQueue<number | bigint | boolean>();
    for (const x of [3, 10n, true, 2.5, -1]) n.put(x);
    expect([n.get(), n.get(), n.get(), n.get(), n.get()]).toEqual([-1, true, 2.5, 3, 10n]);
  });

  it('PriorityQueue refuses items the default order cannot compare, and keeps its heap intact', () => {
    const q = new PriorityQueue<unknown>();
    q.put([1, 'a']);
    q.put([2, 'b']);
    expect(() => q.put('x')).toThrow(TypeError);
    expect(() => q.put([1, {}])).toThrow(/cannot order/);
    expect(q.qsize()).toBe(2);
    expect([q.get(), q.get()]).toEqual([[1, 'a'], [2, 'b']]);
    expect(() => naturalCompare(null, 1)).toThrow(TypeError);
  });

  it('PriorityQueue takes a compare option', () => {
    const q = new PriorityQueue<{ p: number }>(null, { compare: (a, b) => b.p - a.p });
    for (const p of [1, 5, 3]) q.put({ p });
    expect([q.get().p, q.get().p, q.get().p]).toEqual([5, 3, 1]);
    expect(() => new PriorityQueue(null, { compare: 3 as never })).toThrow(TypeError);
  });

  it('PriorityQueue hands out equal-priority items in the same order as gevent (heapq moves)', () => {
    // Checked with gevent 22.10.2: items whose __lt__ compares the priority only, this sequence of puts and gets.
    const q = new PriorityQueue<[number, string]>(null, { compare: (a, b) => a[0] - b[0] });
    const out: string[] = [];
    const ops: Array<[number, string] | null> = [
      [2, 'a'], [1, 'b'], [2, 'c'], [1, 'd'], [2, 'e'], [1, 'f'], null, [2, 'g'], [2, 'h'], [1, 'i'], null, null,
      [2, 'j'], null, null, null, null, null, null, null,
    ];
    for (const op of ops) {
      if (op === null) out.push(q.get()[1]);
      else q.put(op);
    }
    expect(out).toEqual(GEVENT_TIE_ORDER);
  });
});

// gevent 22.10.2's output for the sequence above.
const GEVENT_TIE_ORDER = ['b', 'f', 'd', 'i', 'c', 'g', 'j', 'h', 'e', 'a'];

describe('Channel', () => {
  it('holds nothing: empty, full, qsize 0; maxsize other than 1 is refused', () => {
    const c = new Channel<number>();
    expect([c.qsize(), c.empty(), c.full(), c.balance]).toEqual([0, true, true, 0]);
    expect(() => new Channel(2)).toThrow(/Queue\(2\)/);
  });

  it('putNowait with no getter waiting throws Full; getNowait with no putter throws Empty', () => {
    const c = new Channel<number>();
    expect(() => c.putNowait(1)).toThrow(Full);
    expect(() => c.put(1, { block: false })).toThrow(Full);
    expect(() => c.getNowait()).toThrow(Empty);
    expect(() => c.get({ block: false })).toThrow(Empty);
    expect(() => c.get()).toThrow(BlockingSwitchOutError);
    expect(() => c.put(1)).toThrow(BlockingSwitchOutError);
    expect(c.balance).toBe(0);
  });

  it('put waits until a getter has taken the item (test_zero_max_size)', async () => {
    await run(function* () {
      const c = new Channel<string>();
      const log: unknown[] = [];
      const sender = spawn(gf(function* () {
        yield* M(c, 'put')('hi');
        log.push('done');
      }));
      yield* G(sleep)(0.01);
      expect(log).toEqual([]);
      expect(c.balance).toBe(1);
      const receiver = spawn(getter, c, 'R', log);
      yield* G(joinall)([sender, receiver]);
      expect(log).toEqual([['R', 'hi'], 'done']);
    });
  });

  it('sender and receiver alternate as in gevent (test_send)', async () => {
    await run(function* () {
      const c = new Channel<string>();
      const events: string[] = [];
      const g = spawn(gf(function* () {
        events.push(yield* M(c, 'get')());
        events.push(yield* M(c, 'get')());
      }));
      events.push('sending');
      yield* M(c, 'put')('hello');
      events.push('sent hello');
      yield* M(c, 'put')('world');
      events.push('sent world');
      expect(events).toEqual(['sending', 'hello', 'sent hello', 'world', 'sent world']);
      yield* M(g, 'get')();
    });
  });

  it('receiver and sender alternate as in gevent (test_wait)', async () => {
    await run(function* () {
      const c = new Channel<string>();
      const events: string[] = [];
      const g = spawn(gf(function* () {
        events.push('sending hello');
        yield* M(c, 'put')('hello');
        events.push('sending world');
        yield* M(c, 'put')('world');
        events.push('sent world');
      }));
      events.push('waiting');
      events.push(yield* M(c, 'get')());
      events.push(yield* M(c, 'get')());
      expect(events).toEqual(['waiting', 'sending hello', 'hello', 'sending world', 'world']);
      yield* G(sleep)(0);
      expect(events).toEqual(['waiting', 'sending hello', 'hello', 'sending world', 'world', 'sent world']);
      yield* M(g, 'get')();
    });
  });

  it('putNowait hands the item to a waiting getter; from a hub callback too (test_put_nowait_unlock)', async () => {
    await run(function* () {
      const c = new Channel<number>();
      const log: unknown[] = [];
      const p = spawn(getter, c, 'G', log);
      yield* G(sleep)(0.001);
      const results: unknown[] = [];
      getHub().runCallback(() => results.push(c.putNowait(10)));
      getHub().runCallback(() => {
        try {
          c.putNowait(11);
        } catch (e) {
          results.push(e);
        }
      });
      expect(p.ready()).toBe(false);
      yield* M(p, 'join')();
      expect(results[0]).toBe(undefined);
      expect(results[1]).toBeInstanceOf(Full); // only one getter was waiting
      expect(log).toEqual([['G', 10]]);
    });
  });

  it('getNowait takes a waiting putter\'s item and releases it (test_get_nowait_unlock_channel)', async () => {
    await run(function* () {
      const c = new Channel<number>();
      const p = spawn(gf(function* () { yield* M(c, 'put')(5); }));
      yield* G(sleep)(0.001);
      let got: unknown;
      getHub().runCallback(() => (got = c.getNowait()));
      yield* G(sleep)(0.001);
      expect(got).toBe(5);
      expect(p.dead).toBe(true);
      expect(c.balance).toBe(0);
    });
  });

  it('put and get time out with Full and Empty, withdrawing their registration', async () => {
    await run(function* () {
      const c = new Channel<number>();
      expect(yield* caught(() => M(c, 'get')({ timeout: 0.01 }))).toBeInstanceOf(Empty);
      expect(yield* caught(() => M(c, 'put')(1, { timeout: 0.01 }))).toBeInstanceOf(Full);
      expect(c.balance).toBe(0);
      expect(() => c.getNowait()).toThrow(Empty);
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('a getter killed after being woken leaves the item for the next; a killed putter withdraws its item', async () => {
    await run(function* () {
      const c = new Channel<string>();
      const log: unknown[] = [];
      const a = spawn(getter, c, 'A', log);
      const b = spawn(getter, c, 'B', log);
      yield* G(sleep)(0);
      const p = spawn(putter, c, 'x', log);
      yield* G(sleep)(0); // p registers and wakes A
      a.kill({ block: false });
      yield* G(joinall)([a, b, p]);
      expect(log).toEqual([['B', 'x'], 'x']);

      const q = spawn(putter, c, 'y', log);
      yield* G(sleep)(0);
      expect(c.balance).toBe(1);
      yield* M(q, 'kill')();
      expect(c.balance).toBe(0);
      expect(() => c.getNowait()).toThrow(Empty);
    });
  });

  it('iterates in green code, a get() per step', async () => {
    await run(function* () {
      const c = new Channel<number>();
      spawn(gf(function* () {
        for (let i = 0; i < 3; i++) yield* M(c, 'put')(i);
      }));
      const it = greenIterator(c);
      const got: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = yield* it.next();
        got.push(r.value as number);
      }
      expect(got).toEqual([0, 1, 2]);
    });
  });
});

describe('ping-pong', () => {
  it('two greenlets pass a token back and forth through two queues', async () => {
    const a = new Queue<number>();
    const b = new Queue<number>();
    const N = 10000;
    await run(function* () {
      const echo = spawn(gf(function* () {
        for (let i = 0; i < N; i++) yield* M(b, 'put')((yield* M(a, 'get')()) + 1);
      }));
      let x = 0;
      for (let i = 0; i < N; i++) {
        yield* M(a, 'put')(x);
        x = yield* M(b, 'get')();
      }
      expect(x).toBe(N);
      yield* M(echo, 'join')();
    });
    expect(reports).toEqual([]);
  });
});

describe('Queue: serving waiters in turn, as gevent', () => {
  it('a full queue with waiting getters and a blocked putter serves putter and getter alternately', async () => {
    // gevent's Queue._unlock: room for a putter's item is filled before the next getter is served
    const tasks = new Queue<number | null>(2);
    const log: string[] = [];
    const worker = gf(function* worker(name: string) {
      for (;;) {
        const n = yield* M(tasks, 'get')();
        if (n === null) return;
        yield* G(sleep)(0.001 * n);
        log.push(`${name} did ${n}`);
      }
    });
    const boss = gf(function* boss() {
      for (let n = 1; n <= 4; n++) {
        yield* M(tasks, 'put')(n);
        log.push(`put ${n}, qsize ${tasks.qsize()}`);
      }
      yield* M(tasks, 'put')(null);
      yield* M(tasks, 'put')(null);
    });
    await run(function* () {
      const ws = [spawn(worker, 'w1'), spawn(worker, 'w2')];
      spawn(boss);
      yield* G(joinall)(ws);
    });
    expect(log.slice(0, 4)).toEqual(['put 1, qsize 1', 'put 2, qsize 2', 'put 3, qsize 2', 'put 4, qsize 2']);
    expect(log.filter((l) => l.includes('did')).sort()).toEqual(['w1 did 1', 'w1 did 3', 'w2 did 2', 'w2 did 4'].sort());
  });
});
