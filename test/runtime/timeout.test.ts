/**
 * Timeout and withTimeout — the behaviours of gevent's test__timeout.py and test__api_timeout.py (plus the
 * nested with_timeout case of test__api.py), checked against gevent 22.10.2.
 */
import { describe, expect, it } from 'vitest';
import { Greenlet, Timeout, getHub, sleep, spawn, waitFor, withTimeout } from '../../src/index.js';
import { G, M, gf, run } from '../helpers/green.js';

const DELAY = 0.01;

/** Run `body` in green code and return what it threw (undefined if nothing). */
function* caught(body: () => Generator<unknown, unknown, unknown>): Generator<unknown, unknown, unknown> {
  try {
    yield* body();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('Timeout', () => {
  it('is raised at the blocking call, as the same instance, and is no longer pending', async () => {
    await run(function* () {
      const t = new Timeout(DELAY);
      expect(t.pending).toBe(false);
      t.start();
      expect(t.pending).toBe(true);
      const e = yield* caught(() => G(sleep)(DELAY * 20));
      expect(e).toBe(t);
      expect(t.pending).toBe(false);
      // it can be started again once it has fired (test_expires)
      t.start();
      expect(yield* caught(() => G(sleep)(DELAY * 20))).toBe(t);
      t.close();
    });
  });

  it('is an Error named Timeout with the message "0.01 seconds" / "1 second"', () => {
    const t = new Timeout(0.01);
    expect(t).toBeInstanceOf(Error);
    expect(t.name).toBe('Timeout');
    expect(t.message).toBe('0.01 seconds');
    expect(new Timeout(1).message).toBe('1 second');
    expect(new Timeout(2.5).message).toBe('2.5 seconds');
    expect(new Timeout(0).message).toBe('0 seconds');
    expect(new Timeout().message).toBe('');
    expect(new Timeout(1, false).message).toBe('1 second (silent)');
    expect(new Timeout(1, 'XXX').message).toBe('1 second: XXX');
    expect(String(new Timeout(0.01))).toBe('Timeout: 0.01 seconds');
  });

  it('thrown directly is not pending (test_direct_raise)', () => {
    const t = new Timeout();
    try {
      throw t;
    } catch (e) {
      expect(e).toBe(t);
      expect((e as Timeout).pending).toBe(false);
    }
  });

  it('rejects seconds that are not a number', () => {
    expect(() => new Timeout('1' as never)).toThrow(/Timeout seconds must be a number/);
  });

  it('with an exception raises it instead: an instance as is, a class instantiated', async () => {
    await run(function* () {
      const err = new RangeError('Operation takes way too long');
      const t = Timeout.startNew(DELAY, err);
      expect(yield* caught(() => G(sleep)(DELAY * 20))).toBe(err);
      expect(t.pending).toBe(false);
      Timeout.startNew(DELAY, TypeError);
      expect(yield* caught(() => G(sleep)(DELAY * 20))).toBeInstanceOf(TypeError);
      // false only matters to withTimeout: the Timeout itself is raised
      const silent = Timeout.startNew(DELAY, false);
      expect(yield* caught(() => G(sleep)(DELAY * 20))).toBe(silent);
      // a string changes the message
      const s = Timeout.startNew(DELAY, 'XXX');
      const e = yield* caught(() => G(sleep)(DELAY * 20));
      expect(e).toBe(s);
      expect(String((e as Error).message)).toMatch(/XXX$/);
    });
  });

  it('does nothing when the block finishes first; cancel() stops it; seconds null never fires', async () => {
    await run(function* () {
      const t = Timeout.startNew(DELAY * 2);
      expect(t.pending).toBe(true);
      yield* G(sleep)(DELAY / 2);
      t.cancel();
      expect(t.pending).toBe(false);
      yield* G(sleep)(DELAY * 4); // would have fired in here
      const inner = Timeout.startNew(DELAY);
      inner.cancel();
      yield* G(sleep)(DELAY * 3);
      const never = Timeout.startNew(null);
      expect(never.pending).toBe(false);
      yield* G(sleep)(DELAY);
      never.cancel();
    });
  });

  it('using (Symbol.dispose) cancels it', async () => {
    await run(function* () {
      {
        using t = Timeout.startNew(DELAY);
        expect(t.pending).toBe(true);
        var saved = t; // eslint-disable-line no-var
      }
      expect(saved.pending).toBe(false);
      yield* G(sleep)(DELAY * 3);
    });
  });

  it('startNew(existing) starts that instance if it is not pending', async () => {
    await run(function* () {
      const t = new Timeout(DELAY);
      expect(Timeout.startNew(t)).toBe(t);
      expect(t.pending).toBe(true);
      expect(Timeout.startNew(t)).toBe(t); // already pending: left alone
      t.cancel();
      expect(() => t.start().start()).toThrow(/already started/);
      t.cancel();
    });
  });

  it('nests: the one that expires first fires and the other stays pending (test_nested_timeout)', async () => {
    await run(function* () {
      {
        const t1 = Timeout.startNew(DELAY);
        const t2 = Timeout.startNew(DELAY * 20);
        expect(yield* caught(() => G(sleep)(DELAY * 30))).toBe(t1);
        expect(t1.pending).toBe(false);
        expect(t2.pending).toBe(true);
        t2.cancel();
      }
      {
        const t1 = Timeout.startNew(DELAY * 20);
        const t2 = Timeout.startNew(DELAY);
        expect(yield* caught(() => G(sleep)(DELAY * 30))).toBe(t2);
        expect(t1.pending).toBe(true);
        expect(t2.pending).toBe(false);
        t1.cancel();
      }
    });
  });

  it('never interrupts CPU-bound code: it is raised at the next suspension', async () => {
    await run(function* () {
      const t = Timeout.startNew(DELAY);
      const end = performance.now() + 50;
      let spins = 0;
      while (performance.now() < end) spins++; // held the loop past the deadline
      expect(spins).toBeGreaterThan(0);
      expect(t.pending).toBe(true); // the timer could not even run
      // raised at the next blocking call, at once (gevent too lets a sleep(0) right after such a stretch
      // return: the loop had no chance to run timers yet)
      const t0 = performance.now();
      expect(yield* caught(() => G(sleep)(10))).toBe(t);
      expect(performance.now() - t0).toBeLessThan(5000); // not the 10 s of the sleep
    });
  });

  it('fires in the greenlet that started it, not in whichever is running', async () => {
    await run(function* () {
      let t!: Timeout;
      const g = spawn(
        gf(function* () {
          t = Timeout.startNew(DELAY);
          yield* G(sleep)(1);
        }),
      );
      const other = spawn(
        gf(function* () {
          yield* G(sleep)(DELAY * 5);
          return 'other finished';
        }),
      );
      yield* M(g, 'join')();
      expect(g.exception).toBe(t);
      expect(yield* M(other, 'get')()).toBe('other finished');
      expect(yield* caught(() => G(sleep)(DELAY * 2))).toBeUndefined(); // main untouched
    });
  });

  it('of a greenlet that died first does nothing when it expires', async () => {
    const savedStream = getHub().exceptionStream;
    const out: string[] = [];
    getHub().exceptionStream = { write: (s: string) => out.push(s) };
    try {
      await run(function* () {
        const g = spawn(() => {
          Timeout.startNew(DELAY); // never cancelled
          return 'done';
        });
        yield* M(g, 'join')();
        yield* G(sleep)(DELAY * 3);
        expect(g.value).toBe('done');
      });
      expect(out).toEqual([]);
    } finally {
      getHub().exceptionStream = savedStream;
    }
  });

  it('overrides a wake-up already queued for the greenlet', async () => {
    // Both the sleep and the (later) Timeout expire while another greenlet holds the loop: the sleep's wake-up is
    // queued first, and the Timeout replaces it (architecture.md: scheduleThrow overrides a pending resume), so
    // the Timeout is raised at that sleep rather than lost or deferred to some later blocking call.
    await run(function* () {
      const t = Timeout.startNew(DELAY * 2);
      const end = performance.now() + 60;
      spawn(() => {
        while (performance.now() < end);
      });
      expect(yield* caught(() => G(sleep)(DELAY))).toBe(t);
    });
  });
});

describe('withTimeout', () => {
  it('returns the value when fn finishes in time, and leaves no timer behind', async () => {
    await run(function* () {
      const before = getHub().timers.size;
      const v = yield* G(withTimeout)(
        1,
        gf(function* () {
          yield* G(sleep)(DELAY);
          return 'in time';
        }),
      );
      expect(v).toBe('in time');
      expect(getHub().timers.size).toBe(before);
      expect(yield* G(withTimeout)(1, () => 'plain')).toBe('plain');
    });
  });

  it('raises Timeout when fn takes too long, or returns timeoutValue instead', async () => {
    await run(function* () {
      const slow = gf(function* () {
        yield* G(sleep)(DELAY * 20);
        return 'slow';
      });
      const e = yield* caught(() => G(withTimeout)(DELAY, slow));
      expect(e).toBeInstanceOf(Timeout);
      expect((e as Timeout).message).toBe('0.01 seconds');
      const X = { marker: true };
      expect(yield* G(withTimeout)(DELAY, slow, { timeoutValue: X })).toBe(X);
      expect(yield* G(withTimeout)(DELAY, slow, { timeoutValue: undefined })).toBeUndefined();
      expect(yield* G(withTimeout)(DELAY * 20, gf(function* () { yield* G(sleep)(DELAY); }), { timeoutValue: X })).toBeUndefined();
    });
  });

  it('keeps the type: T | D', async () => {
    await run(function* () {
      const fn = (): number => 1;
      // (plain calls: fn does not block, and they keep the static types the test is about)
      const v: number | string = withTimeout(1, fn, { timeoutValue: 'none' });
      const w: number = withTimeout(1, fn);
      yield* G(sleep)(0);
      expect([v, w]).toEqual([1, 1]);
    });
  });

  it('an outer timeout is not swallowed by an inner timeoutValue (test_nested_with_timeout)', async () => {
    await run(function* () {
      const inner = gf(function* () {
        return yield* G(withTimeout)(DELAY * 20, gf(function* () { yield* G(sleep)(2); }), { timeoutValue: 1 });
      });
      const e = yield* caught(() => G(withTimeout)(DELAY * 5, inner));
      expect(e).toBeInstanceOf(Timeout);
      expect((e as Timeout).seconds).toBe(DELAY * 5);
    });
  });

  it('needs a function', async () => {
    await run(function* () {
      const e = yield* caught(() => G(withTimeout)(1, 42 as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/withTimeout\(seconds, fn\) needs a function/);
    });
  });
});

describe('waitFor', () => {
  it('returns the value of a promise, throws its rejection, passes plain values through', async () => {
    await run(function* () {
      expect(yield* G(waitFor)(new Promise((r) => setTimeout(() => r('later'), 10)))).toBe('later');
      const err = new Error('rejected');
      expect(yield* caught(() => G(waitFor)(Promise.reject(err)))).toBe(err);
      expect(yield* G(waitFor)(7)).toBe(7);
      // any thenable works, including a greenlet
      expect(yield* G(waitFor)(spawn(() => 'from greenlet'))).toBe('from greenlet');
    });
  });

  it('with a timeout throws Timeout if the promise is too slow, and ignores its late result', async () => {
    await run(function* () {
      let resolveLate!: (v: string) => void;
      const p = new Promise<string>((r) => (resolveLate = r));
      const e = yield* caught(() => G(waitFor)(p, DELAY));
      expect(e).toBeInstanceOf(Timeout);
      resolveLate('too late');
      yield* G(sleep)(DELAY);
      expect(yield* G(waitFor)(Promise.resolve('fast'), 1)).toBe('fast');
    });
  });

  it('lets other greenlets run while it waits', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(() => log.push('ran'));
      yield* G(waitFor)(new Promise((r) => setTimeout(r, 5)));
      expect(log).toEqual(['ran']);
      expect(g.dead).toBe(true);
    });
  });

  it('can be killed while waiting', async () => {
    await run(function* () {
      const g: Greenlet<unknown> = spawn(
        gf(function* () {
          yield* G(waitFor)(new Promise(() => {}));
        }),
      );
      yield* G(sleep)(0);
      yield* M(g, 'kill')();
      expect(g.dead).toBe(true);
      expect(g.successful()).toBe(true);
    });
  });
});
