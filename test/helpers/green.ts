/**
 * Hand-written green code for runtime tests, until the transform writes it: `yield* G(sleep)(0)` is what the
 * transform emits for `sleep(0)`, and `yield* M(ev, 'wait')(1)` for `ev.wait(1)`.
 */
import { GREEN, Greenlet, green, runMain, sleep, spawn, type Green } from '../../src/index.js';
import { Event } from '../../src/event.js';

type Fn = (...args: any[]) => any;

/** The generator form of a green function: `yield* G(fn)(...args)`. */
export function G<F extends Fn>(fn: F): (...args: Parameters<F>) => Green<ReturnType<F>> {
  const g = (fn as any)[GREEN];
  if (g === undefined) throw new TypeError(`${fn.name || 'function'} is not green`);
  return g;
}

/** The generator form of a green method bound to its object: `yield* M(obj, 'name')(...args)`. */
export function M<O extends object, K extends keyof O>(
  obj: O,
  name: K,
): O[K] extends Fn ? (...args: Parameters<O[K]>) => Green<ReturnType<O[K]>> : never {
  const g = (obj[name] as any)?.[GREEN];
  if (g === undefined) throw new TypeError(`${String(name)} is not a green method`);
  return ((...args: unknown[]) => g.apply(obj, args)) as never;
}

/** A green function written as a generator: what the transform makes of an ordinary function that blocks. */
export const gf = green;

/** Run blocking code in the main greenlet, as the transform does for a module's top level. */
export function run<T>(body: () => Green<T>): Promise<T> {
  return runMain(body);
}

/** What green code `body` throws (undefined if it returns): `expect(yield* caught(() => M(q, 'get')())).toBe(t)`. */
export function* caught(body: () => Green<unknown>): Green<unknown> {
  try {
    yield* body();
  } catch (e) {
    return e;
  }
  return undefined;
}

/**
 * Greenlets that finish in a chosen order without depending on timers (a busy machine can fire close timers
 * out of order): each of `values` waits for its own gate and returns its value; a director greenlet opens the
 * gates of `order` one per turn of the hub. A value missing from `order` never finishes (kill it at the end).
 */
export function finishInOrder<T>(values: T[], order: T[]): Greenlet<T>[] {
  const gates = new Map(values.map((v) => [v, new Event()]));
  const gs = values.map((v) =>
    spawn<[], T>(
      green(function* gated(): Green<T> {
        yield* (gates.get(v)!.wait as any)[GREEN].call(gates.get(v));
        return v;
      }),
    ),
  );
  spawn(
    green(function* director() {
      for (const v of order) {
        gates.get(v)!.set();
        // two turns: the woken greenlet finishes, then its links are notified, before the next gate opens
        yield* (sleep as any)[GREEN](0);
        yield* (sleep as any)[GREEN](0);
      }
    }),
  );
  return gs;
}
