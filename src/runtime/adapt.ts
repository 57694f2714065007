/**
 * Spawn-per-call adaptation (design.md §4): a green function passed where untransformed code expects a callback
 * whose result is ignored (`emitter.on`, `setTimeout`, `server.on('request')`) becomes a plain function that
 * starts a new greenlet per call — the gevent server model — and returns that Greenlet (a thenable, so a caller
 * that does look at the result can await it).
 */
import { GREEN, namedFunction } from './convention.js';
import { Greenlet } from './greenlet.js';

/** One adapter per function, so `emitter.off(handler)` finds what `emitter.on(handler)` registered. */
const adapters = new WeakMap<object, (...args: any[]) => unknown>();

export function adaptSpawn<F>(fn: F): F {
  // A plain function (the analysis over-approximated, or the value changed at run time) is passed as is.
  if (typeof fn !== 'function' || (fn as any)[GREEN] === undefined) return fn;
  let adapter = adapters.get(fn);
  if (adapter === undefined) {
    const gen = (fn as any)[GREEN] as (...args: unknown[]) => Generator<unknown, unknown, unknown>;
    const target = fn as unknown as (...args: unknown[]) => unknown;
    adapter = namedFunction(target.name, target.length, (self, args): Greenlet<unknown> => {
      // Keep the receiver the caller gave (an EventEmitter passes itself as `this`).
      const run = self === undefined ? target : bindGreen(gen, target, self);
      const g = new Greenlet<unknown>(run as never, ...args);
      g.start();
      return g;
    }) as (...args: unknown[]) => Greenlet<unknown>;
    adapters.set(fn, adapter);
  }
  return adapter as F;
}

/** A green function calling `gen` with a fixed receiver. */
function bindGreen(
  gen: (...args: unknown[]) => Generator<unknown, unknown, unknown>,
  plain: (...args: unknown[]) => unknown,
  thisArg: unknown,
): (...args: unknown[]) => unknown {
  const bound = namedFunction(plain.name, 0, (_self, args) => plain.apply(thisArg, args as never));
  (bound as any)[GREEN] = function (...args: unknown[]) {
    return gen.apply(thisArg, args);
  };
  return bound as (...args: unknown[]) => unknown;
}
