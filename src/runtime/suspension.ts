/**
 * Hand-written generator forms for the hottest primitives. `yield*` accepts any iterator, not only a generator:
 * a green call `yield* f[GREEN](...)` calls next() on what it gets, passes every not-done result up to the hub
 * as the greenlet's suspension, forwards the hub's next(value) / throw(error) back, and takes the value of the
 * done result as the call's value. A plain object with next/throw/return costs far less to create and resume
 * than a generator (no frame, no register file), so the primitives that run on every switch (sleep(0), a queue
 * get or put, an Event wait) are written this way; runPlain drives them exactly like generators.
 *
 * The contract each one keeps is the generator's: next() runs until it suspends (returns SUSPEND, having
 * arranged its wake-up) or finishes (a done result); throw(e) and return() undo whatever the suspension
 * registered and end it, as a `finally` would.
 */
import type { Green } from './convention.js';
import { keepShape } from './shapes.js';

/** What a suspended primitive returns from next(): passed through yield* to the hub untouched. */
export const SUSPEND: IteratorYieldResult<undefined> = Object.freeze({ done: false, value: undefined });
/** A finished call whose value is undefined. */
export const FINISHED: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The base of the hand-written forms: iterable as itself, and typed as the generator it stands for. */
export abstract class Suspension<T> {
  [Symbol.iterator](): this {
    return this;
  }
  abstract next(value?: unknown): IteratorResult<undefined, T>;
  abstract throw(error: unknown): IteratorResult<undefined, T>;
  return(value?: unknown): IteratorResult<undefined, T> {
    this.throwOut();
    return { done: true, value: value as T };
  }
  /** Undo the registration (return() calls it; a throw() implementation usually does too). */
  protected throwOut(): void {}
  /** The form `yield*` and runPlain take. */
  green(): Green<T> {
    return this as unknown as Green<T>;
  }
}

/** A call that finished without suspending, with `value`: the fast path of a queue get, for one. */
class Ready<T> extends Suspension<T> {
  constructor(private value: T) {
    super();
  }
  next(): IteratorResult<undefined, T> {
    const value = this.value;
    this.value = undefined as T;
    return { done: true, value };
  }
  throw(error: unknown): never {
    throw error;
  }
}

keepShape(new Ready({})); // shapes.ts

export function ready<T>(value: T): Green<T> {
  return new Ready(value) as unknown as Green<T>;
}

/** A call that always finishes at once with the same value: one shared object, one shared result. */
export function constant<T>(value: T): Green<T> {
  const result: IteratorReturnResult<T> = Object.freeze({ done: true, value });
  const it: Iterator<undefined, T, unknown> & Iterable<undefined> = {
    [Symbol.iterator]() {
      return this;
    },
    next: () => result,
    throw(error: unknown): never {
      throw error;
    },
    return: (v?: unknown) => ({ done: true, value: v as T }),
  };
  return it as unknown as Green<T>;
}

/** A call that finished without suspending and returns nothing: one shared object. */
const done: Iterator<undefined, undefined, unknown> & Iterable<undefined> = {
  [Symbol.iterator]() {
    return this;
  },
  next: () => FINISHED,
  throw(error: unknown): never {
    throw error;
  },
  return: (value?: unknown) => ({ done: true, value: value as undefined }),
};

export const NOTHING = done as unknown as Green<void>;
