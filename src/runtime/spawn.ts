/** spawn, spawnLater, spawnRaw: gevent's module-level constructors of greenlets. */
import { Greenlet, describeValue } from './greenlet.js';

function checkFunction(fn: unknown, who: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${who}() needs a function to run; got ${describeValue(fn)}`);
}

/** Create a greenlet running `fn(...args)` and schedule it; it runs once the caller yields. */
export function spawn<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Greenlet<R> {
  checkFunction(fn, 'spawn');
  const g = new Greenlet<R>(fn as never, ...args);
  g.start();
  return g;
}

/** Like spawn, but start after `seconds`; a plain spawn made at the same time runs first. */
export function spawnLater<A extends unknown[], R>(seconds: number, fn: (...args: A) => R, ...args: A): Greenlet<R> {
  checkFunction(fn, 'spawnLater');
  const g = new Greenlet<R>(fn as never, ...args);
  g.startLater(seconds);
  return g;
}

/** The cheapest spawn: the same Greenlet, which allocates links and names only when they are used. */
export function spawnRaw<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Greenlet<R> {
  return spawn(fn, ...args);
}
