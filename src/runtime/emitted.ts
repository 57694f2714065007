/**
 * Everything code emitted by the greenlets transform imports, from one module (`import * as __gl from
 * 'greenlets/emitted'`). Keep this surface stable: compiled packages depend on it.
 */
import { GREEN, GREEN_ITERATOR, greenIterator, namedFunction, runPlain, type Green, type GreenIterator } from './convention.js';

export { GREEN, GREEN_ITERATOR, runPlain, callDynamic, greenIterator, collect } from './convention.js';
export { runMain } from './greenlet.js';
// After greenlet.js: hub.js and greenlet.js import each other, and greenlet.js must be evaluated first.
import { waitFor } from './waiting.js';
export { builtins, appliedBuiltins, bindGreen as bind } from './builtins.js';
import { adaptSpawn } from './adapt.js';
export { adaptSpawn };

/**
 * A green function value from the generator the transform made of a function expression or an arrow.
 * `length` is the original's (the generator may carry extra temporaries as trailing parameters).
 */
export function fn<G extends (...args: any[]) => Green<unknown>>(gen: G, name: string, length: number, display = name) {
  const plain = namedFunction(display, length, (self, args) => runPlain(gen.apply(self, args as never), name));
  (plain as any)[GREEN] = gen;
  return plain;
}

/**
 * `install(f, f$green, g, g$green, ...)`, first in a scope with green function declarations: each plain
 * wrapper gets its generator as [GREEN], and the generator the wrapper's name, so stack traces show `f`. A
 * string after a pair is the function's own name where the wrapper's differs (`export default function () {}`
 * is emitted as `function __default`, but is named "default").
 */
export function install(...entries: Array<((...args: any[]) => unknown) | string>): void {
  for (let i = 0; i < entries.length; i += 2) {
    const wrapper = entries[i] as any;
    const gen = entries[i + 1] as any;
    let name: string = wrapper.name;
    if (typeof entries[i + 2] === 'string') {
      name = entries[i + 2] as string;
      Object.defineProperty(wrapper, 'name', { value: name, configurable: true });
      i++;
    }
    wrapper[GREEN] = gen;
    Object.defineProperty(gen, 'name', { value: name, configurable: true });
  }
}

/**
 * A green #private method read as a value (src/transformer/emit/private-methods.ts): the plain method, with its
 * generator as [GREEN] so green code that calls the value calls it greenly. Both are one function object per
 * class, shared by every instance, so installing it once is enough and the value's identity is kept.
 */
export function privateMethod<F extends (...args: any[]) => unknown>(plain: F, gen: (...args: any[]) => Green<unknown>): F {
  if ((plain as any)[GREEN] === undefined) (plain as any)[GREEN] = gen;
  return plain;
}

/**
 * `new.target` of a green function declaration or expression: its generator cannot see the plain wrapper's,
 * so the wrapper hands it over (`setNewTarget(new.target)`) right before starting the generator, whose body
 * takes it first thing (`takeNewTarget()`). A green call is never a construct call: nothing was handed over,
 * and it reads undefined.
 */
let pendingNewTarget: unknown;
export function setNewTarget(nt: unknown): void {
  pendingNewTarget = nt;
}
export function takeNewTarget(): unknown {
  const nt = pendingNewTarget;
  pendingNewTarget = undefined;
  return nt;
}

/** `fn` for a function expression that reads `new.target`: its plain form hands it to the generator. */
export function fnNew<G extends (...args: any[]) => Green<unknown>>(gen: G, name: string, length: number) {
  const plain = namedFunction(name, length, (self, args, newTarget) => {
    pendingNewTarget = newTarget;
    return runPlain(gen.apply(self, args as never), name);
  });
  (plain as any)[GREEN] = gen;
  return plain;
}

/**
 * Turn generator methods the transform wrote in place (`*m() {...}`, so `super` and the home object stay
 * right) into green methods: the property becomes the plain wrapper, its GREEN the generator. `spec` is
 * `[key, length, key, length, ...]`; the property keeps its attributes (class methods stay non-enumerable,
 * object literal methods enumerable). Returns `target` so it can wrap an object literal.
 */
export function methods<T extends object>(target: T, spec: Array<PropertyKey | number>, owner?: string): T {
  for (let i = 0; i < spec.length; i += 2) {
    const key = spec[i] as PropertyKey;
    const length = spec[i + 1] as number;
    const desc = Object.getOwnPropertyDescriptor(target, key);
    if (desc === undefined || typeof desc.value !== 'function') continue;
    const gen = desc.value;
    const name = typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key);
    desc.value = fn(gen, owner !== undefined ? `${owner}.${name}` : name, length, name);
    Object.defineProperty(target, key, desc);
  }
  return target;
}

/**
 * Green methods of an object literal given to untransformed code that ignores their results
 * (`configure({ onEvent() {...} })`): each becomes its spawn-per-call adapter, as a green function given there
 * as a property value would (adaptSpawn). Returns `target` so it can wrap the literal.
 */
export function adaptMethods<T extends object>(target: T, keys: PropertyKey[]): T {
  for (const key of keys) (target as Record<PropertyKey, unknown>)[key] = adaptSpawn((target as Record<PropertyKey, unknown>)[key]);
  return target;
}

/**
 * `for (x of xs)` in green code: `for (const it = forOf(xs); yield* it.step();) { x = it.value; ... }`, inside
 * a try/finally that calls `it.close()` — the iterator's `return()` runs on break, return and throw from the
 * body, but not when the iterator itself threw or finished (as for native for-of).
 */
export class ForOf<T> {
  value: T | undefined = undefined;
  private active = false;
  private readonly it: GreenIterator<T>;
  constructor(iterable: Iterable<T>) {
    this.it = greenIterator(iterable);
  }
  *step(): Green<boolean> {
    this.active = false;
    const r = yield* this.it.next();
    if (r.done) return false;
    this.value = r.value;
    this.active = true;
    return true;
  }
  close(): void {
    if (this.active) {
      this.active = false;
      this.it.return?.();
    }
  }
}

export function forOf<T>(iterable: Iterable<T>): ForOf<T> {
  return new ForOf(iterable);
}

/**
 * Array destructuring of a possibly blocking iterable: take the first `n` elements (all of them when `n` is
 * -1, for a rest element), then close the iterator as native destructuring does.
 */
export function* collectSome<T>(iterable: Iterable<T>, n: number): Green<T[]> {
  const it = greenIterator(iterable);
  const out: T[] = [];
  if (n === 0) {
    it.return?.();
    return out;
  }
  for (;;) {
    const r = yield* it.next();
    if (r.done) return out;
    out.push(r.value);
    if (n > 0 && out.length >= n) {
      it.return?.();
      return out;
    }
  }
}

/** Identity tag: `` tpl`a${0}b` `` is the template object of its own site, one object per site, as the
 * language gives a tag; the transform passes it to a green tag function. */
export function tpl(strings: TemplateStringsArray): TemplateStringsArray {
  return strings;
}

/**
 * `await x` in a module's top-level code that runs in the main greenlet (a generator, where `await` is not
 * allowed): the main greenlet waits for `x` as `waitFor(x)` does; a rejection is thrown at the same place.
 */
export function* awaitValue<T>(x: T | PromiseLike<T>): Green<T> {
  return yield* (waitFor as unknown as { [GREEN]: (p: unknown) => Green<T> })[GREEN](x);
}

/** `for await (x of xs)` there: an async (or sync) iterable walked by the main greenlet, each `next()` and
 * the closing `return()` waited for. */
export function asyncIterable<T>(iterable: AsyncIterable<T> | Iterable<T | PromiseLike<T>>): { [GREEN_ITERATOR](): GreenIterator<T> } {
  return {
    [GREEN_ITERATOR]() {
      const make = (iterable as AsyncIterable<T>)[Symbol.asyncIterator];
      if (typeof make !== 'function') {
        // A sync iterable: its values are awaited, as for-await does.
        const it = (iterable as Iterable<T | PromiseLike<T>>)[Symbol.iterator]();
        return {
          *next() {
            const r = it.next();
            return r.done ? (r as IteratorResult<T, undefined>) : { done: false, value: yield* awaitValue(r.value) };
          },
          return() {
            it.return?.();
          },
        };
      }
      const it = make.call(iterable);
      return {
        *next() {
          return (yield* awaitValue(it.next())) as IteratorResult<T, undefined>;
        },
        return() {
          // Closing cannot be waited for from ForOf.close() (a plain call); start it and let it finish.
          const r = it.return?.();
          if (r !== undefined) Promise.resolve(r).catch(() => undefined);
        },
      };
    },
  };
}
