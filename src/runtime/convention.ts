/**
 * The green calling convention: the one contract between the transform's output and the runtime.
 *
 * A green function value `f` is an ordinary function with one extra property, `f[GREEN]`, holding a generator
 * function with the same parameters. Green code calls it as `yield* f[GREEN].call(thisArg, ...args)`; the
 * generator's return value is the call's result, and every `yield` inside it means "this greenlet is suspended;
 * the hub will resume it with `next(value)` or `throw(error)`". Plain code calls `f(...args)`, which drives the
 * same generator synchronously and throws BlockingSwitchOutError if it would suspend.
 */
import { BlockingSwitchOutError } from './errors.js';

/** The property that carries a green function's generator form. A registered symbol, so separately bundled
 * copies of the runtime and packages compiled by other greenlets builds agree on it. */
export const GREEN: unique symbol = Symbol.for('greenlets.green') as never;

/** The property of a blocking iterable that returns its green iterator (see GreenIterator). */
export const GREEN_ITERATOR: unique symbol = Symbol.for('greenlets.iterator') as never;

/** What a green function's generator form returns: yields are suspensions, the return value is the result. */
export type Green<T> = Generator<unknown, T, unknown>;

/** A green function: callable plainly, and through `[GREEN]` from green code. */
export interface GreenFunction<A extends unknown[] = any[], R = any> {
  (...args: A): R;
  readonly [GREEN]: (...args: A) => Green<R>;
}

/**
 * An iterator whose `next()` may block (iwait, Queue, Pool.imap*). Green code iterates it with
 * `yield* it.next()`; plain code uses the object's ordinary `[Symbol.iterator]`, which throws
 * BlockingSwitchOutError only if an element is not ready.
 * @blockingIterable
 */
export interface GreenIterator<T> {
  next(): Green<IteratorResult<T, undefined>>;
  return?(): void;
}

/** A blocking iterable: ordinary iteration plus a green one. The analysis recognises this interface (and
 * anything assignable to it) by its `@blockingIterable` tag. */
export interface BlockingIterable<T> extends Iterable<T> {
  [GREEN_ITERATOR](): GreenIterator<T>;
}

export function isGreen(fn: unknown): fn is GreenFunction {
  return typeof fn === 'function' && (fn as any)[GREEN] !== undefined;
}

/**
 * Drive a green generator to completion without a hub: the plain-call protocol. If the generator tries to
 * suspend, BlockingSwitchOutError is thrown *into* it at the suspension point, so its `finally` blocks undo
 * whatever the suspension had registered (a timer, a waiter) before the error reaches the plain caller.
 */
export function runPlain<T>(gen: Green<T>, name: string): T {
  let r = gen.next();
  while (!r.done) r = gen.throw(new BlockingSwitchOutError(name));
  return r.value;
}

/**
 * Make a green function from its generator form: the returned function runs plainly (runPlain) and carries
 * the generator form under GREEN. Used by the runtime's hand-written blocking primitives and by the transform
 * for function expressions and arrows; function declarations get the same shape inline so they stay hoisted.
 */
export function green<F extends (...args: any[]) => any>(
  gen: (this: ThisParameterType<F>, ...args: Parameters<F>) => Green<ReturnType<F>>,
  name: string = gen.name,
): F & { readonly [GREEN]: typeof gen } {
  const plain = namedFunction(name, gen.length, (self, args) => runPlain(gen.apply(self as never, args as never), name));
  (plain as any)[GREEN] = gen;
  return plain as never;
}

type Body = (self: unknown, args: IArguments, newTarget: unknown) => unknown;

/** One maker per arity: a parameter list of that many names is what gives a function its `length`. */
const MAKERS: Array<(name: string, body: Body) => Function> = [
  (n, b) => ({ [n]: function (this: unknown) { return b(this, arguments, new.target); } })[n]!,
  (n, b) => ({ [n]: function (this: unknown, _1: unknown) { return b(this, arguments, new.target); } })[n]!,
  (n, b) => ({ [n]: function (this: unknown, _1: unknown, _2: unknown) { return b(this, arguments, new.target); } })[n]!,
  (n, b) => ({ [n]: function (this: unknown, _1: unknown, _2: unknown, _3: unknown) { return b(this, arguments, new.target); } })[n]!,
  (n, b) => ({ [n]: function (this: unknown, _1: unknown, _2: unknown, _3: unknown, _4: unknown) { return b(this, arguments, new.target); } })[n]!,
  (n, b) => ({ [n]: function (this: unknown, _1: unknown, _2: unknown, _3: unknown, _4: unknown, _5: unknown) { return b(this, arguments, new.target); } })[n]!,
];

/**
 * A function with the given `name` and `length` that runs `body(this, arguments, new.target)`: the plain form of
 * a green function. Redefining a function's `name` or `length` with Object.defineProperty turns it into a
 * dictionary-mode object, and then every green call through it (`f[GREEN]`, `o.m[GREEN]`) is a hash-table
 * lookup instead of an inline-cached load; so the name comes from a computed key and the length from the
 * parameter list. Only a length beyond the table falls back to defineProperty.
 */
export function namedFunction(name: string, length: number, body: Body): Function {
  const make = MAKERS[length];
  if (make !== undefined) return make(name, body);
  const f = MAKERS[0]!(name, body);
  Object.defineProperty(f, 'length', { value: length, configurable: true });
  return f;
}

/**
 * Install green methods on a class prototype: for each entry, `proto[name]` becomes a plain wrapper whose
 * GREEN property is the generator. The class declares the plain signature with `declare name: (...) => R`
 * and a `@blocking` JSDoc tag so the analysis treats calls to it as suspension points.
 */
export function defineGreenMethods<T extends object>(
  ctor: { prototype: T; name: string },
  methods: { [name: string]: (this: T, ...args: any[]) => Green<unknown> },
): void {
  for (const name of Object.keys(methods)) {
    Object.defineProperty(ctor.prototype, name, {
      value: green(methods[name] as never, `${ctor.name}.${name}`),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

/**
 * A call whose target the analysis could not bound: the green protocol if the value is green, the plain one
 * otherwise. The transform usually inlines this test; the helper exists for the cases where inlining would
 * duplicate an argument list with side effects.
 */
export function* callDynamic(fn: unknown, thisArg: unknown, args: unknown[]): Green<unknown> {
  const g = (fn as any)?.[GREEN];
  if (g !== undefined) return yield* g.apply(thisArg, args);
  return (fn as (...a: unknown[]) => unknown).apply(thisArg, args);
}

/** Iterate anything in green code: a blocking iterable through its green iterator, anything else plainly. */
export function greenIterator<T>(iterable: Iterable<T>): GreenIterator<T> {
  const make = (iterable as any)?.[GREEN_ITERATOR];
  if (make !== undefined) return make.call(iterable);
  const it = iterable[Symbol.iterator]();
  return {
    // eslint-disable-next-line require-yield
    *next() {
      return it.next() as IteratorResult<T, undefined>;
    },
    return() {
      it.return?.();
    },
  };
}

/** `[...x]`, `Array.from(x)` and destructuring of a blocking iterable in green code. */
export function* collect<T>(iterable: Iterable<T>): Green<T[]> {
  const it = greenIterator(iterable);
  const out: T[] = [];
  for (;;) {
    const r = yield* it.next();
    if (r.done) return out;
    out.push(r.value);
  }
}
