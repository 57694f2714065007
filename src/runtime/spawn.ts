/** spawn, spawnLater, spawnRaw: gevent's module-level constructors of greenlets. */
import { Greenlet, describeValue } from './greenlet.js';

function checkFunction(fn: unknown, who: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${who}() needs a function to run; got ${describeValue(fn)}`);
}

/** Create a greenlet running `fn(...args)` and schedule it; it runs once the caller yields. */
export function spawn<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Greenlet<R>;
export function spawn<R>(fn: (...args: unknown[]) => R): Greenlet<R> {
  checkFunction(fn, 'spawn');
  // `arguments` rather than a rest parameter and a spread: nothing allocated for a spawn without arguments
  const g = new Greenlet<R>(fn);
  if (arguments.length > 1) g._args = Array.prototype.slice.call(arguments, 1);
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

/** gevent's spawn_raw: spawn itself, since a Greenlet allocates its links, name and tree state only when used. */
export const spawnRaw: typeof spawn = spawn;
