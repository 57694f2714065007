/**
 * Behaviours found by the twins (fixtures/twins) where greenlets printed something else than gevent 22.10.2;
 * each case is the smallest program that showed the difference.
 */
import { describe, expect, it } from 'vitest';
import { BlockingSwitchOutError, Greenlet, sleep } from '../../src/index.js';
import { G, gf, run } from '../helpers/green.js';

describe('Greenlet.spawn on a subclass (gevent: a classmethod, cls(*args))', () => {
  class Worker extends Greenlet<string> {
    constructor(
      readonly label: string,
      readonly delay: number,
    ) {
      super();
    }
    protected override _run(): string {
      return `${this.label} after ${this.delay}`;
    }
  }

  it('builds and starts an instance of the subclass from the constructor arguments', async () => {
    await run(function* () {
      const w = Worker.spawn('w1', 0.001);
      expect(w).toBeInstanceOf(Worker);
      expect(w.label).toBe('w1');
      expect(w.started).toBe(true);
      expect(yield* G(w.get).call(w)).toBe('w1 after 0.001');
    });
  });

  it('spawnLater on a subclass starts the subclass later', async () => {
    await run(function* () {
      const w = Worker.spawnLater(0.01, 'w2', 0);
      expect(w).toBeInstanceOf(Worker);
      yield* G(sleep)(0);
      expect(w.dead).toBe(false);
      expect(yield* G(w.get).call(w)).toBe('w2 after 0');
    });
  });

  it('on Greenlet itself (and detached) it still takes a function and its arguments', async () => {
    await run(function* () {
      const g = Greenlet.spawn((a: number, b: number) => a + b, 2, 3);
      const detached = Greenlet.spawn;
      const h = detached((s: string) => s.toUpperCase(), 'x');
      expect(yield* G(g.get).call(g)).toBe(5);
      expect(yield* G(h.get).call(h)).toBe('X');
    });
  });
});

describe('BlockingSwitchOutError for a function without a name', () => {
  it('says so instead of leaving the name out', () => {
    const arrow = gf(function* () {
      yield* G(sleep)(0.01);
    });
    Object.defineProperty(arrow, 'name', { value: '' });
    let caught: unknown;
    try {
      arrow();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BlockingSwitchOutError);
    expect((caught as Error).message).toMatch(/^An anonymous function would block, but it was called from code that cannot suspend/);
  });
});
