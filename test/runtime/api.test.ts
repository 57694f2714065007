/**
 * The module-level API: sleep, idle, spawn*, kill, getcurrent, and what bad use reports — the sleep/idle/spawn/
 * kill parts of gevent's test__api.py and test__greenlet.py (TestBasic), checked against gevent 22.10.2.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingSwitchOutError,
  Greenlet,
  GreenletExit,
  getHub,
  getcurrent,
  idle,
  joinall,
  kill,
  sleep,
  spawn,
  spawnLater,
  spawnRaw,
} from '../../src/index.js';
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

describe('sleep', () => {
  it('suspends for about the given seconds', async () => {
    await run(function* () {
      const t0 = performance.now();
      yield* G(sleep)(0.05);
      const ms = performance.now() - t0;
      expect(ms).toBeGreaterThanOrEqual(48);
      expect(ms).toBeLessThan(1000);
    });
  });

  it('treats a negative time as 0 and refuses what is not a number', async () => {
    await run(function* () {
      const log: string[] = [];
      spawn(() => log.push('other'));
      yield* G(sleep)(-1);
      expect(log).toEqual(['other']);
      let caught: unknown;
      try {
        yield* G(sleep)('1' as never);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expect((caught as Error).message).toMatch(/sleep\(\) takes a number of seconds/);
    });
  });

  it('interrupted by kill leaves no timer and no queued resume behind', async () => {
    await run(function* () {
      const before = getHub().timers.size;
      const g = spawn(gf(function* () { yield* G(sleep)(10); }));
      const h = spawn(gf(function* () { for (;;) yield* G(sleep)(0); }));
      yield* G(sleep)(0);
      expect(getHub().timers.size).toBe(before + 1);
      yield* M(g, 'kill')();
      yield* M(h, 'kill')();
      expect(getHub().timers.size).toBe(before);
      yield* G(sleep)(0.01);
      expect([g.successful(), h.successful()]).toEqual([true, true]);
    });
  });
});

describe('getcurrent', () => {
  it('is the main greenlet in main code and the running greenlet inside one', async () => {
    await run(function* () {
      const main = getcurrent();
      expect(main).toBe(getHub().main);
      expect(main.name).toBe('MainGreenlet');
      let inside: Greenlet<any> | null = null;
      const g = spawn(
        gf(function* () {
          yield* G(sleep)(0);
          inside = getcurrent();
        }),
      );
      yield* M(g, 'join')();
      expect(inside).toBe(g);
      expect(getcurrent()).toBe(main);
    });
  });
});

describe('spawn', () => {
  it('passes its arguments; spawnRaw and Greenlet.spawn do the same', async () => {
    await run(function* () {
      const f = (a: number, b: string) => `${a}${b}`;
      const gs = [spawn(f, 1, 'x'), spawnRaw(f, 2, 'y'), Greenlet.spawn(f, 3, 'z'), spawnLater(0.001, f, 4, 'w')];
      yield* G(joinall)(gs);
      expect(gs.map((g) => g.value)).toEqual(['1x', '2y', '3z', '4w']);
    });
  });

  it('a subclass can override _run instead of passing a function', async () => {
    class Worker extends Greenlet<string> {
      protected override _run(): string {
        return `ran as ${this.name}`;
      }
    }
    await run(function* () {
      const w = new Worker();
      w.name = 'w1';
      w.start();
      expect(yield* M(w, 'get')()).toBe('ran as w1');
      expect(String(w)).toBe('<Worker "w1": _run>'); // gevent: `<Subclass ... _run>`
    });
  });

  it('spawn(42) and friends are a TypeError that says what was wrong', () => {
    expect(() => spawn(42 as never)).toThrow(TypeError);
    expect(() => spawn(42 as never)).toThrow('spawn() needs a function to run; got number 42');
    expect(() => spawnRaw(42 as never)).toThrow(/needs a function to run; got number 42/);
    expect(() => (spawnLater as any)(1)).toThrow(/spawnLater\(\) needs a function to run; got undefined/);
    expect(() => spawnLater(1, 1 as never)).toThrow(TypeError);
    expect(() => new Greenlet('f' as never)).toThrow(/Greenlet needs a function to run; got the string "f"/);
  });

  it('a Greenlet without a function fails when started, saying how to fix it', async () => {
    await run(function* () {
      const g = new Greenlet();
      g.start();
      yield* M(g, 'join')();
      expect(g.exception).toBeInstanceOf(TypeError);
      expect((g.exception as Error).message).toMatch(/has no function to run: pass one to the constructor or override _run/);
    });
  });
});

describe('kill()', () => {
  it('kills without waiting; the victim dies when it next runs', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(
        gf(function* () {
          try {
            yield* G(sleep)(10);
          } finally {
            log.push('finally');
          }
        }),
      );
      yield* G(sleep)(0);
      kill(g);
      expect(log).toEqual([]);
      expect(g.dead).toBe(false);
      yield* M(g, 'join')();
      expect(log).toEqual(['finally']);
      expect(g.value).toBeInstanceOf(GreenletExit);
    });
  });

  it('with a custom exception', async () => {
    await run(function* () {
      const err = new RangeError('stop');
      const g = spawn(gf(function* () { yield* G(sleep)(10); }));
      yield* G(sleep)(0);
      kill(g, err);
      yield* M(g, 'join')();
      expect(g.exception).toBe(err);
    });
  });
});

describe('blocking where it cannot suspend', () => {
  it('throws BlockingSwitchOutError naming the function, and undoes what the call registered', async () => {
    const before = getHub().timers.size;
    let caught: unknown;
    try {
      sleep(0.01); // @plain-sleep
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BlockingSwitchOutError);
    expect((caught as BlockingSwitchOutError).functionName).toBe('sleep');
    // it names the caller's location, the line above
    const line = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').findIndex((l) => l.includes('// @plain-sleep')) + 1;
    expect((caught as BlockingSwitchOutError).callerLocation).toMatch(new RegExp(`api\\.test\\.ts:${line}:\\d+$`));
    expect((caught as Error).message).toMatch(new RegExp(`^sleep would block, but it was called from code that cannot suspend, at \\S*api\\.test\\.ts:${line}:\\d+ `));
    expect((caught as Error).stack).toMatch(/^BlockingSwitchOutError: sleep would block, but/);
    expect((caught as Error).message).toMatch(/Call it from green code/);
    expect(getHub().timers.size).toBe(before);
    expect(() => idle()).toThrow(/^idle would block/);
    expect(() => sleep(0)).toThrow(BlockingSwitchOutError);
    const g = spawn(gf(function* () { yield* G(sleep)(10); }));
    expect(() => g.join()).toThrow(/^Greenlet\.join would block/);
    expect(() => g.get()).toThrow(BlockingSwitchOutError);
    g.kill({ block: false }); // not blocking: fine from plain code
    await g;
    expect(getHub().timers.size).toBe(before);
  });

  it('a plain function run by a greenlet that calls a blocking one fails that greenlet only', async () => {
    await run(function* () {
      const g = spawn(() => sleep(0.01));
      yield* M(g, 'join')();
      expect(g.exception).toBeInstanceOf(BlockingSwitchOutError);
      expect(reports.join('')).toMatch(/failed with BlockingSwitchOutError: sleep would block/);
    });
  });

  it('a user’s green function called plainly is named itself, not the primitive it reached', () => {
    const fetchPage = gf(function* fetchPage(url: string) {
      yield* G(sleep)(0.01);
      return url;
    });
    let caught: unknown;
    try {
      [3, 1, 2].sort(() => (fetchPage('x'), 0)); // a sort comparator cannot suspend
    } catch (e) {
      caught = e;
    }
    expect((caught as BlockingSwitchOutError).functionName).toBe('fetchPage');
    expect((caught as Error).message).toMatch(/^fetchPage would block, but it was called from code that cannot suspend, at \S*api\.test\.ts:\d+:\d+ /);
  });

  it('a green function that does not suspend works from plain code', () => {
    expect(joinall([])).toEqual([]);
    const add = gf(function* (a: number, b: number) {
      return a + b;
    });
    expect(add(1, 2)).toBe(3);
  });
});

describe('the hub timers', () => {
  it('fire in deadline order after random adds and cancels, and cancelled ones never fire', async () => {
    const heap = getHub().timers;
    const before = heap.size;
    const fired: number[] = [];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const entries = Array.from({ length: 200 }, (_, i) => {
      const s = Math.floor(rnd() * 30) / 1000; // 0..29 ms, many equal deadlines
      return { i, s, e: heap.add(s, (n: number) => fired.push(n), i) };
    });
    const cancelled = new Set<number>();
    for (const x of entries) if (rnd() < 0.5) (cancelled.add(x.i), heap.cancel(x.e));
    heap.cancel(entries[0].e); // cancelling twice is harmless
    await new Promise((r) => setTimeout(r, 80));
    const expected = entries
      .filter((x) => !cancelled.has(x.i) && x.i !== 0)
      .sort((a, b) => a.e.deadline - b.e.deadline || a.i - b.i)
      .map((x) => x.i);
    expect(fired).toEqual(expected);
    expect(heap.size).toBe(before);
  });

  it('a very long timer (beyond Node’s 24.8-day limit) neither fires early nor spins', async () => {
    await run(function* () {
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.name);
      process.on('warning', onWarning);
      let woke = false;
      const g = spawn(
        gf(function* () {
          yield* G(sleep)(Infinity);
          woke = true;
        }),
      );
      yield* G(sleep)(0.05);
      expect(woke).toBe(false);
      yield* M(g, 'kill')();
      process.off('warning', onWarning);
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    });
  });
});
