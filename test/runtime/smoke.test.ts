import { describe, expect, it } from 'vitest';
import { GREEN, spawn, sleep, joinall, runMain, Timeout, waitFor, BlockingSwitchOutError, green } from '../../src/index.js';

describe('smoke', () => {
  it('spawn does not run until the spawner yields, then FIFO', async () => {
    const log: string[] = [];
    await runMain(function* () {
      const a = spawn(() => log.push('a'));
      const b = spawn(() => log.push('b'));
      log.push('main');
      yield* (joinall as any)[GREEN]([a, b]);
    });
    expect(log).toEqual(['main', 'a', 'b']);
  });
  it('sleep(0) round-robin', async () => {
    const log: string[] = [];
    const w = green(function* (name: string) {
      for (let i = 0; i < 3; i++) {
        log.push(name + i);
        yield* (sleep as any)[GREEN](0);
      }
    });
    await runMain(function* () {
      yield* (joinall as any)[GREEN]([spawn(w, 'a'), spawn(w, 'b')]);
    });
    expect(log).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });
  it('timeout raises same instance at blocking call', async () => {
    await runMain(function* () {
      const t = Timeout.startNew(0.01);
      try {
        yield* (sleep as any)[GREEN](1);
        expect.unreachable();
      } catch (e) {
        expect(e).toBe(t);
        expect(String((e as Error).message)).toBe('0.01 seconds');
      }
    });
  });
  it('waitFor', async () => {
    const v = await runMain(function* () {
      return yield* (waitFor as any)[GREEN](Promise.resolve(42));
    });
    expect(v).toBe(42);
  });
  it('plain call of a blocking function throws BlockingSwitchOutError', () => {
    expect(() => sleep(0.01)).toThrow(BlockingSwitchOutError);
  });
});
