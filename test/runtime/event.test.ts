/**
 * Event and AsyncResult: the behaviours gevent's test__event.py checks, plus the rules every blocking primitive
 * follows (registrations undone however a wait ends, plain calls). Semantics checked against gevent 22.10.2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingSwitchOutError,
  Greenlet,
  GreenletExit,
  Timeout,
  getHub,
  joinall,
  sleep,
  spawn,
  wait,
  withTimeout,
} from '../../src/index.js';
import { AsyncResult, Event } from '../../src/event.js';
import { G, M, gf, run } from '../helpers/green.js';

class ExpectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectedError';
  }
}

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

const waitOn = gf(function* waitOn(ev: Event, timeout?: number) {
  return yield* M(ev, 'wait')(timeout);
});

describe('Event', () => {
  it('starts clear; set/clear/isSet/ready', () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    expect(ev.ready()).toBe(false);
    ev.set();
    expect(ev.isSet()).toBe(true);
    expect(ev.ready()).toBe(true);
    ev.clear();
    expect(ev.isSet()).toBe(false);
    expect(String(ev)).toBe('<Event clear _links[0]>');
  });

  it('wakes every waiter with true, in the order they started waiting', async () => {
    const ev = new Event();
    const order: number[] = [];
    await run(function* () {
      const gs = [0, 1, 2, 3, 4].map((i) =>
        spawn(
          gf(function* () {
            const r = yield* M(ev, 'wait')();
            order.push(i);
            return r;
          }),
        ),
      );
      yield* G(sleep)(0.001);
      expect(ev.linkcount()).toBe(5);
      expect(order).toEqual([]);
      ev.set();
      yield* G(joinall)(gs);
      expect(gs.map((g) => g.value)).toEqual([true, true, true, true, true]);
    });
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(ev.linkcount()).toBe(0);
  });

  it.each([1, 100, 1000])('set() then clear() at once still wakes all %i waiters with true', async (n) => {
    const ev = new Event();
    await run(function* () {
      const gs: Greenlet<boolean>[] = [];
      for (let i = 0; i < n; i++) gs.push(spawn(waitOn, ev, 10));
      yield* G(sleep)(0.001);
      ev.set();
      ev.clear();
      yield* G(joinall)(gs);
      expect(gs.every((g) => g.value === true)).toBe(true);
    });
    expect(ev.isSet()).toBe(false);
    expect(ev.linkcount()).toBe(0);
  });

  it('wait(timeout) returns false when nobody sets it, and unregisters the waiter', async () => {
    const ev = new Event();
    await run(function* () {
      const t0 = performance.now();
      expect(yield* M(ev, 'wait')(0.02)).toBe(false);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
      expect(ev.linkcount()).toBe(0);
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('wait(timeout) returns true when set before the timeout; the timer is cancelled', async () => {
    const ev = new Event();
    await run(function* () {
      spawn(
        gf(function* () {
          yield* G(sleep)(0.01);
          ev.set();
        }),
      );
      expect(yield* M(ev, 'wait')(5)).toBe(true);
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('wait(timeout): whichever comes first of its timeout and set() decides', async () => {
    await run(function* () {
      // The timeout fires first, set() just after in the same turn: false, as in gevent.
      const ev = new Event();
      const late = spawn(waitOn, ev, 0.02);
      yield* G(sleep)(0);
      getHub().timers.add(0.02, () => ev.set());
      spin(40);
      yield* G(joinall)([late]);
      expect(late.value).toBe(false);
      expect(ev.linkcount()).toBe(0);
      // The woken-waiter count is right again: a new caller does not yield a turn for the timed-out one.
      const order: string[] = [];
      spawn(() => order.push('other'));
      expect(yield* M(ev, 'wait')()).toBe(true);
      order.push('caller');
      yield* G(sleep)(0);
      expect(order).toEqual(['caller', 'other']);
      // set() fires first: true.
      const ev2 = new Event();
      const early = spawn(waitOn, ev2, 0.5);
      yield* G(sleep)(0);
      getHub().timers.add(0.01, () => ev2.set());
      yield* G(joinall)([early]);
      expect(early.value).toBe(true);
    });
  });

  it('called plainly on a set Event it returns true without blocking', () => {
    const ev = new Event();
    ev.set();
    expect(ev.wait()).toBe(true);
    expect(ev.wait(0)).toBe(true);
  });

  it('called plainly on a clear Event it throws BlockingSwitchOutError and leaves no waiter behind', () => {
    const ev = new Event();
    expect(() => ev.wait()).toThrow(BlockingSwitchOutError);
    expect(() => ev.wait(1)).toThrow(/Event\.wait would block/);
    expect(ev.linkcount()).toBe(0);
    expect(getHub().timers.size).toBe(0);
  });

  it('a killed waiter leaves the queue and dies with GreenletExit', async () => {
    const ev = new Event();
    await run(function* () {
      const a = spawn(waitOn, ev);
      const b = spawn(waitOn, ev);
      yield* G(sleep)(0);
      expect(ev.linkcount()).toBe(2);
      yield* M(a, 'kill')();
      expect(a.value).toBeInstanceOf(GreenletExit);
      expect(ev.linkcount()).toBe(1);
      ev.set();
      yield* G(joinall)([b]);
      expect(b.value).toBe(true);
    });
  });

  it('a Timeout started around wait() interrupts it with the same instance and unregisters', async () => {
    const ev = new Event();
    await run(function* () {
      const t = Timeout.startNew(0.01);
      try {
        yield* M(ev, 'wait')();
        expect.unreachable();
      } catch (e) {
        expect(e).toBe(t);
      }
      expect(ev.linkcount()).toBe(0);
    });
  });

  it('a waiter killed after set() woke it still lets set() count for the others', async () => {
    const ev = new Event();
    await run(function* () {
      const a = spawn(waitOn, ev);
      const b = spawn(waitOn, ev);
      yield* G(sleep)(0);
      ev.set();
      yield* M(a, 'kill')({ block: false });
      yield* G(joinall)([a, b]);
      expect(a.value).toBeInstanceOf(GreenletExit);
      expect(b.value).toBe(true);
      // Nothing is left waiting, and a late caller does not wait for the dead one.
      expect(yield* M(ev, 'wait')()).toBe(true);
    });
  });

  it('a caller finding it set runs after the waiters it just woke (gevent issue 1520)', async () => {
    const ev = new Event();
    const results: number[] = [];
    const waitThenAppend = gf(function* (n: number) {
      yield* M(ev, 'wait')();
      results.push(n);
    });
    await run(function* () {
      spawn(waitThenAppend, 1);
      spawn(waitThenAppend, 2);
      yield* G(sleep)(0);
      expect(ev.linkcount()).toBe(2);
      ev.set();
      yield* G(waitThenAppend)(3);
    });
    expect(results).toEqual([1, 2, 3]);
  });

  it('rawlink callbacks are called once, from the hub, with the event; unlink cancels', async () => {
    const ev = new Event();
    const seen: unknown[] = [];
    const cb = (e: Event) => seen.push(e);
    const dropped = () => seen.push('dropped');
    ev.rawlink(cb);
    ev.rawlink(dropped);
    ev.unlink(dropped);
    ev.unlink(() => {}); // unknown: ignored
    ev.set();
    expect(seen).toEqual([]); // not inside set()
    await run(function* () {
      yield* G(sleep)(0);
    });
    expect(seen).toEqual([ev]);
    expect(ev.linkcount()).toBe(0);
    // On a set event a new link is called at the next turn of the hub.
    ev.rawlink(cb);
    await run(function* () {
      yield* G(sleep)(0);
    });
    expect(seen).toEqual([ev, ev]);
    expect(() => ev.rawlink(null as never)).toThrow(TypeError);
  });

  it('a rawlink callback that unlinks a later one during notification stops it (test_multiple_listeners_error_unlink_AsyncResult_rawlink)', async () => {
    const e = new AsyncResult<number>();
    const results: number[] = [];
    const listener1 = (src: AsyncResult<number>) => {
      src.unlink(listener2);
      results.push(5);
      throw new ExpectedError('listener1');
    };
    const listener2 = (src: AsyncResult<number>) => {
      src.unlink(listener1);
      results.push(5);
      throw new ExpectedError('listener2');
    };
    const listener3 = () => {
      throw new ExpectedError('listener3');
    };
    await run(function* () {
      spawn(() => e.set(6));
      e.rawlink(listener1);
      e.rawlink(listener2);
      e.rawlink(listener3);
      yield* G(sleep)(0.01);
    });
    expect(results).toEqual([5]);
    expect(reports.join('')).toMatch(/the rawlink callback listener1 of <AsyncResult value=6[^\n]*> failed with ExpectedError: listener1/);
    expect(reports.join('')).toContain('ExpectedError: listener3');
    expect(reports.join('')).not.toContain('ExpectedError: listener2');
    // rawlink(null) is refused; unlink of something never linked is fine
    expect(() => e.rawlink(null as never)).toThrow(TypeError);
    e.unlink(null as never);
    e.unlink(null as never);
  });

  it('an error thrown by a rawlink callback is reported and does not stop the others', async () => {
    const ev = new Event();
    const seen: string[] = [];
    ev.rawlink(() => {
      throw new ExpectedError('from a link');
    });
    ev.rawlink(() => seen.push('second'));
    ev.set();
    await run(function* () {
      yield* G(sleep)(0);
    });
    expect(seen).toEqual(['second']);
    expect(reports.join('')).toContain('ExpectedError: from a link');
  });

  it('gevent.wait() on events: times out with none ready, returns them once set', async () => {
    await run(function* () {
      const ev = new Event();
      expect(yield* G(wait)([ev], { timeout: 0.01 })).toEqual([]);
      expect(ev.linkcount()).toBe(0);
      spawn(() => ev.set());
      expect(yield* G(wait)([ev], { timeout: 5 })).toEqual([ev]);
    });
  });

  it('wait() after a set and clear inside a woken waiter does not see the old set (gevent issue 771)', async () => {
    const ev = new Event();
    await run(function* () {
      const setter = spawn(() => ev.set());
      expect(yield* M(ev, 'wait')()).toBe(true);
      yield* M(setter, 'join')();
      ev.clear();
      const done = yield* G(wait)([ev], { timeout: 0.01 });
      expect(done).not.toContain(ev);
      expect(ev.ready()).toBe(false);
    });
  });
});

describe('AsyncResult', () => {
  it('set() wakes every getter with the value', async () => {
    const ar = new AsyncResult<string>();
    expect(ar.ready()).toBe(false);
    expect(ar.value).toBeUndefined();
    await run(function* () {
      const getter = gf(function* () {
        return yield* M(ar, 'get')();
      });
      const gs = [spawn(getter), spawn(getter), spawn(getter)];
      yield* G(sleep)(0);
      ar.set('hello');
      yield* G(joinall)(gs);
      expect(gs.map((g) => g.value)).toEqual(['hello', 'hello', 'hello']);
    });
    expect(ar.ready()).toBe(true);
    expect(ar.successful()).toBe(true);
    expect(ar.value).toBe('hello');
    expect(ar.exception).toBeUndefined();
    expect(ar.get()).toBe('hello'); // plainly: ready, so it does not block
    expect(ar.getNowait()).toBe('hello');
  });

  it('setException() is rethrown by get() in every waiter; wait() returns undefined', async () => {
    const ar = new AsyncResult<number>();
    const err = new ExpectedError('failure');
    const caught: unknown[] = [];
    await run(function* () {
      const g = spawn(
        gf(function* () {
          try {
            yield* M(ar, 'get')();
          } catch (e) {
            caught.push(e);
          }
        }),
      );
      const w = spawn(
        gf(function* () {
          return yield* M(ar, 'wait')();
        }),
      );
      yield* G(sleep)(0);
      ar.setException(err);
      yield* G(joinall)([g, w]);
      expect(w.value).toBeUndefined();
      expect(w.successful()).toBe(true);
    });
    expect(caught).toEqual([err]);
    expect(ar.ready()).toBe(true);
    expect(ar.successful()).toBe(false);
    expect(ar.exception).toBe(err);
    expect(ar.value).toBeUndefined();
    expect(() => ar.get()).toThrow(err);
    expect(() => ar.getNowait()).toThrow(err);
    expect(ar.wait()).toBeUndefined();
  });

  it('get({timeout}) throws Timeout and unregisters; wait(timeout) returns undefined', async () => {
    const ar = new AsyncResult<number>();
    await run(function* () {
      try {
        yield* M(ar, 'get')({ timeout: 0.01 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(Timeout);
        expect((e as Timeout).seconds).toBe(0.01);
      }
      expect(ar.linkcount()).toBe(0);
      expect(yield* M(ar, 'wait')(0.01)).toBeUndefined();
      expect(ar.linkcount()).toBe(0);
      expect(getHub().timers.size).toBe(0);
    });
  });

  it('get({block: false}) and getNowait() throw Timeout when there is no result', () => {
    const ar = new AsyncResult();
    expect(() => ar.get({ block: false })).toThrow(Timeout);
    expect(() => ar.getNowait()).toThrow(Timeout);
  });

  it('get() called plainly before a result throws BlockingSwitchOutError', () => {
    const ar = new AsyncResult();
    expect(() => ar.get()).toThrow(BlockingSwitchOutError);
    expect(() => ar.wait()).toThrow(BlockingSwitchOutError);
    expect(ar.linkcount()).toBe(0);
  });

  it('an outer Timeout with its own error interrupts get() with that error', async () => {
    const ar = new AsyncResult<string>();
    const timerErr = new ExpectedError('interrupted');
    await run(function* () {
      const later = spawn(
        gf(function* () {
          yield* G(sleep)(0.2);
          ar.set('too late');
        }),
      );
      const t = Timeout.startNew(0, timerErr);
      try {
        yield* M(ar, 'get')();
        expect.unreachable();
      } catch (e) {
        expect(e).toBe(timerErr);
      } finally {
        t.cancel();
      }
      yield* M(later, 'kill')();
    });
  });

  it('withTimeout(get) gives the timeout value when nothing is sent', async () => {
    const ar = new AsyncResult<string>();
    const X = { marker: true };
    await run(function* () {
      const r = yield* G(withTimeout)(0.02, gf(function* () {
        return yield* M(ar, 'get')();
      }), { timeoutValue: X });
      expect(r).toBe(X);
    });
  });

  it('the value wins over an error set later, and a later value over an earlier error (as gevent)', () => {
    const a = new AsyncResult<number>();
    a.set(5);
    a.setException(new ExpectedError('late'));
    expect(a.get()).toBe(5);
    expect(a.successful()).toBe(true);
    const b = new AsyncResult<number>();
    b.setException(new ExpectedError('early'));
    b.set(7);
    expect(b.get()).toBe(7);
    expect(b.successful()).toBe(true);
  });

  it('is a thenable: await resolves with the value or rejects with the error', async () => {
    const ok = new AsyncResult<number>();
    const bad = new AsyncResult<number>();
    const err = new ExpectedError('rejected');
    setTimeout(() => {
      ok.set(42);
      bad.setException(err);
    }, 5);
    expect(await ok).toBe(42);
    await expect(bad).rejects.toBe(err);
    // Already set: still resolves.
    expect(await ok).toBe(42);
  });

  it('works with gevent.wait() alongside events, in completion order, with count', async () => {
    const evs = [new Event(), new Event()];
    const ars = [new AsyncResult<number>(), new AsyncResult<number>()];
    await run(function* () {
      spawn(
        gf(function* () {
          yield* G(sleep)(0.005);
          ars[1].set(1);
          yield* G(sleep)(0.005);
          evs[0].set();
          yield* G(sleep)(0.005);
          ars[0].set(0);
          evs[1].set();
        }),
      );
      const firstTwo = yield* G(wait)([...evs, ...ars], { count: 2 });
      expect(firstTwo).toEqual([ars[1], evs[0]]);
      const all = yield* G(wait)([...evs, ...ars], { timeout: 5 });
      expect(all).toHaveLength(4);
    });
  });
});

describe('AsyncResult as a link target', () => {
  it('link/linkValue/linkException copy a successful greenlet value', async () => {
    await run(function* () {
      const g = spawn(() => 1);
      const [s1, s2, s3] = [new AsyncResult<number>(), new AsyncResult<number>(), new AsyncResult<number>()];
      g.link(s1);
      g.linkValue(s2);
      g.linkException(s3);
      expect(yield* M(s1, 'get')()).toBe(1);
      expect(yield* M(s2, 'get')()).toBe(1);
      expect(yield* M(s3, 'wait')(0.02)).toBeUndefined();
      expect(s3.ready()).toBe(false);
    });
  });

  it('link/linkValue/linkException copy a failed greenlet error', async () => {
    const err = new ExpectedError('from the greenlet');
    await run(function* () {
      const g = spawn(() => {
        throw err;
      });
      const [s1, s2, s3] = [new AsyncResult<number>(), new AsyncResult<number>(), new AsyncResult<number>()];
      g.link(s1);
      g.linkValue(s2);
      g.linkException(s3);
      try {
        yield* M(s1, 'get')();
        expect.unreachable();
      } catch (e) {
        expect(e).toBe(err);
      }
      expect(yield* M(s2, 'wait')(0.02)).toBeUndefined();
      expect(s2.ready()).toBe(false);
      expect(s3.exception).toBe(err);
    });
    expect(reports.join('')).toContain('from the greenlet');
  });

  it('rawlink to an already dead greenlet still delivers', async () => {
    await run(function* () {
      const g = spawn(() => 'done');
      yield* M(g, 'join')();
      const ar = new AsyncResult<string>();
      g.rawlink(ar);
      expect(yield* M(ar, 'get')({ timeout: 5 })).toBe('done');
    });
  });
});
