/**
 * iwait — gevent's test__iwait.py plus completion order, timeout and count, checked against gevent 22.10.2.
 */
import { describe, expect, it } from 'vitest';
import {
  BlockingSwitchOutError,
  GREEN_ITERATOR,
  Greenlet,
  iwait,
  sleep,
  spawn,
  type Waitable,
} from '../../src/index.js';
import { collect, greenIterator } from '../../src/runtime/convention.js';
import { G, M, finishInOrder, gf, run } from '../helpers/green.js';

const after = gf(function* after(seconds: number, value: unknown) {
  yield* G(sleep)(seconds);
  return value;
});

/** A minimal object with gevent's readiness protocol, counting its links (gevent's linkcount()). */
class Flag implements Waitable {
  private isReady = false;
  readonly links: Array<(s: any) => void> = [];
  ready(): boolean {
    return this.isReady;
  }
  set(): void {
    this.isReady = true;
    for (const cb of this.links.splice(0)) cb(this);
  }
  rawlink(cb: (s: any) => void): void {
    this.links.push(cb);
  }
  unlink(cb: (s: any) => void): void {
    const i = this.links.indexOf(cb);
    if (i >= 0) this.links.splice(i, 1);
  }
}

describe('iwait', () => {
  it('yields in completion order', async () => {
    await run(function* () {
      const gs = finishInOrder(['a', 'b', 'c'], ['b', 'c', 'a']);
      const order: unknown[] = [];
      const it = greenIterator(iwait(gs));
      for (;;) {
        const r = yield* it.next();
        if (r.done) break;
        order.push(r.value.value);
        expect(r.value.dead).toBe(true);
      }
      expect(order).toEqual(['b', 'c', 'a']);
    });
  });

  it('with a timeout stops at the timeout, after yielding what finished', async () => {
    await run(function* () {
      const gs = finishInOrder(['a', 'b', 'c', 'd'], ['b', 'c', 'a']);
      const t0 = performance.now();
      const got = (yield* collect(iwait(gs, { timeout: 0.1 }))) as Greenlet<unknown>[];
      expect(got.map((g) => g.value)).toEqual(['b', 'c', 'a']);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
      // with count: those already finished come first, in the order given
      const two = (yield* collect(iwait(gs, { count: 2 }))) as Greenlet<unknown>[];
      expect(two.map((g) => g.value)).toEqual(['a', 'b']);
      yield* M(gs[3], 'kill')();
    });
  });

  it('with count stops after that many', async () => {
    await run(function* () {
      const gs = finishInOrder(['a', 'b', 'c'], ['b', 'a']);
      const got = (yield* collect(iwait(gs, { count: 2 }))) as Greenlet<unknown>[];
      expect(got.map((g) => g.value)).toEqual(['b', 'a']);
      expect(gs[2].dead).toBe(false);
      yield* M(gs[2], 'kill')();
    });
  });

  it('works on any Waitable and on promises (test_noiter)', async () => {
    await run(function* () {
      const f1 = new Flag();
      const f2 = new Flag();
      spawn(() => f1.set());
      const it = greenIterator(iwait([f1, f2]));
      expect((yield* it.next()).value).toBe(f1);
      it.return?.();
      let resolve!: () => void;
      const p = new Promise<void>((r) => (resolve = r));
      setTimeout(() => resolve(), 5);
      const got = yield* collect(iwait([p]));
      expect(got).toEqual([p]);
    });
  });

  it('ending early (return) unlinks from what was not ready (test_iwait_nogarbage)', async () => {
    await run(function* () {
      const f1 = new Flag();
      const f2 = new Flag();
      spawn(() => f1.set());
      const it = greenIterator(iwait([f1, f2]));
      expect((yield* it.next()).value).toBe(f1);
      expect(f2.links).toHaveLength(1);
      it.return?.();
      expect(f2.links).toHaveLength(0);
    });
  });

  it('a timeout that expires leaves no links behind (test_iwait_partial)', async () => {
    await run(function* () {
      const f = new Flag();
      const got = yield* collect(iwait([f], { timeout: 0.01 }));
      expect(got).toEqual([]);
      expect(f.links).toHaveLength(0);
    });
  });

  it('of nothing ends at once', async () => {
    await run(function* () {
      expect(yield* collect(iwait([]))).toEqual([]);
    });
  });

  it('is a blocking iterable: plain iteration works while elements are ready, else BlockingSwitchOutError', async () => {
    const a = spawn(() => 1);
    await a;
    expect([...iwait([a])]).toEqual([a]);
    const slow = spawn(after, 10, 'slow');
    const iterable = iwait([slow]);
    expect(typeof (iterable as any)[GREEN_ITERATOR]).toBe('function');
    expect(() => [...iterable]).toThrow(BlockingSwitchOutError);
    expect(() => [...iwait([slow])]).toThrow(/iwait would block/);
    slow.kill({ block: false });
    await slow;
  });

  it('rejects what cannot be waited on', async () => {
    await run(function* () {
      let caught: unknown;
      try {
        yield* collect(iwait([42 as never]));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expect((caught as Error).message).toMatch(/got number 42/);
    });
  });
});
