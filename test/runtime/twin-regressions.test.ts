/**
 * Behaviours the gevent twins (fixtures/twins) showed greenlets getting wrong, each checked against gevent
 * 22.10.2; the twin named in each case is the program that found it.
 */
import { describe, expect, it } from 'vitest';
import { Timeout, sleep } from '../../src/index.js';
import { G, caught, run } from '../helpers/green.js';

describe('twin regressions', () => {
  it('Timeout.startNew called on a subclass builds and raises that subclass (timeout_locks)', async () => {
    class TooLong extends Timeout {}
    await run(function* () {
      const t = TooLong.startNew(0.01);
      expect(t).toBeInstanceOf(TooLong);
      expect(t.pending).toBe(true);
      const e = yield* caught(() => G(sleep)(1));
      expect(e).toBe(t);
      expect(t.pending).toBe(false);
    });
  });
});
