/**
 * Scheduling order — gevent's test__order.py and the ordering promises of api.md: spawn does not run until the
 * spawner yields, FIFO start order, spawnLater(0) after spawn, sleep(0) round-robin. Checked against gevent 22.10.2.
 */
import { describe, expect, it } from 'vitest';
import { getHub, idle, joinall, sleep, spawn, spawnLater, wait } from '../../src/index.js';
import { G, M, gf, run } from '../helpers/green.js';

describe('order', () => {
  it('a spawned greenlet does not run until the spawner yields; then FIFO', async () => {
    await run(function* () {
      const log: string[] = [];
      const gs = ['a', 'b', 'c', 'd'].map((n) => spawn(() => log.push(n)));
      // CPU work in the spawner does not let them run
      const end = performance.now() + 10;
      while (performance.now() < end);
      log.push('spawner');
      expect(gs.some((g) => g.dead)).toBe(false);
      yield* G(sleep)(0);
      expect(log).toEqual(['spawner', 'a', 'b', 'c', 'd']);
    });
  });

  it('spawnLater(0) runs after spawn, in their own FIFO order', async () => {
    await run(function* () {
      const log: string[] = [];
      spawnLater(0, () => log.push('later0'));
      spawn(() => log.push('spawn'));
      spawnLater(0, () => log.push('later0b'));
      spawn(() => log.push('spawn2'));
      yield* G(sleep)(0.02);
      expect(log).toEqual(['spawn', 'spawn2', 'later0', 'later0b']);
    });
  });

  it('sleep(0) is round-robin over every ready greenlet', async () => {
    await run(function* () {
      const log: string[] = [];
      const w = gf(function* (name: string) {
        for (let i = 0; i < 3; i++) {
          log.push(name + i);
          yield* G(sleep)(0);
        }
      });
      yield* G(joinall)([spawn(w, 'a'), spawn(w, 'b'), spawn(w, 'c')]);
      expect(log).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    });
  });

  it('the spawner resumed by sleep(0) runs after the greenlets it spawned first', async () => {
    await run(function* () {
      const log: string[] = [];
      spawn(() => log.push('child'));
      log.push('before');
      yield* G(sleep)(0);
      log.push('after');
      expect(log).toEqual(['before', 'child', 'after']);
    });
  });

  it('timers fire in deadline order, equal deadlines in the order they were set', async () => {
    await run(function* () {
      const log: string[] = [];
      const napper = gf(function* (s: number, name: string) {
        yield* G(sleep)(s);
        log.push(name);
      });
      // 100 ms apart: deadlines are taken when each sleep starts, so only a longer stall of the machine between
      // two of these spawns running could reorder them
      const gs = [spawn(napper, 0.3, 'c'), spawn(napper, 0.1, 'a1'), spawn(napper, 0.1, 'a2'), spawn(napper, 0.2, 'b')];
      yield* G(joinall)(gs);
      expect(log).toEqual(['a1', 'a2', 'b', 'c']);
    });
  });

  it('sleeps of one length started in one batch wake together, however long the batch ran between them', async () => {
    // `stall` ms of CPU between the two sleeps stands in for a garbage collection or a busy machine
    const wakeOrder = function* (stall: number) {
      const log: string[] = [];
      const started: number[] = [];
      const woke: number[] = [];
      const a = spawn(
        gf(function* () {
          started.push(performance.now());
          yield* G(sleep)(0.03);
          woke.push(performance.now());
          log.push('a woke');
          yield* G(sleep)(0);
          log.push('a after a turn');
        }),
      );
      const b = spawn(
        gf(function* () {
          const end = performance.now() + stall;
          while (performance.now() < end);
          started.push(performance.now());
          yield* G(sleep)(0.03);
          woke.push(performance.now());
          log.push('b woke');
        }),
      );
      yield* G(joinall)([a, b]);
      // never early
      expect(woke[0] - started[0]).toBeGreaterThanOrEqual(30);
      expect(woke[1] - started[1]).toBeGreaterThanOrEqual(30);
      return log;
    };
    await run(function* () {
      expect(yield* wakeOrder(3)).toEqual(['a woke', 'b woke', 'a after a turn']);
      // a batch that ran longer than 10 ms is not one moment any more: a wakes on its own time
      expect(yield* wakeOrder(25)).toEqual(['a woke', 'a after a turn', 'b woke']);
    });
  });

  it('idle() resumes only after pending sleep(0) work has run', async () => {
    await run(function* () {
      const log: string[] = [];
      const w = gf(function* (name: string) {
        for (let i = 0; i < 3; i++) {
          log.push(name + i);
          yield* G(sleep)(0);
        }
      });
      spawn(w, 'a');
      spawn(w, 'b');
      yield* G(idle)();
      log.push('idle-returned');
      expect(log).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'idle-returned']);
      // and from a greenlet, while another keeps sleep(0)-ing
      log.length = 0;
      const idler = spawn(
        gf(function* () {
          log.push('idler start');
          yield* G(idle)();
          log.push('idler after idle');
        }),
      );
      spawn(w, 'c');
      yield* G(wait)([idler]);
      expect(log).toEqual(['idler start', 'c0', 'c1', 'c2', 'idler after idle']);
    });
  });

  it('a long batch yields to Node between switch intervals, so timers and I/O are not starved', async () => {
    await run(function* () {
      // The spinners only stop once a Node timer and a setImmediate have run several times meanwhile: if the hub
      // kept the loop to itself they would spin to their 10-second limit.
      let ticks = 0;
      let immediates = 0;
      const timer = setInterval(() => ticks++, 1);
      const poll = () => {
        immediates++;
        if (immediates < 5) setImmediate(poll);
      };
      setImmediate(poll);
      const limit = performance.now() + 10_000;
      const spinner = gf(function* () {
        while ((ticks < 5 || immediates < 5) && performance.now() < limit) yield* G(sleep)(0);
      });
      yield* G(joinall)([spawn(spinner), spawn(spinner)]);
      clearInterval(timer);
      expect(performance.now()).toBeLessThan(limit);
      expect([ticks >= 5, immediates]).toEqual([true, 5]);
      expect(getHub().switchInterval).toBe(0.005);
    });
  });

  it('a greenlet spawned by one that exits at once still runs (test_spawn_is_not_cancelled)', async () => {
    await run(function* () {
      const lst = [1];
      spawn(() => {
        spawn(() => lst.pop());
      });
      yield* G(sleep)(0.02);
      expect(lst).toEqual([]);
    });
  });

  it('a spawnLater from a greenlet fires while its spawner sleeps (test_timer_fired)', async () => {
    await run(function* () {
      const lst = [1];
      const g = spawn(
        gf(function* () {
          spawnLater(0.01, () => lst.pop());
          yield* G(sleep)(0.02);
        }),
      );
      expect(lst).toEqual([1]);
      yield* G(sleep)(0);
      yield* M(g, 'join')();
      expect(lst).toEqual([]);
    });
  });
});
