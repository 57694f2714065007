/**
 * Green equivalents of the known higher-order built-ins (design.md §4): `xs.map(u => get(u))` in green code
 * becomes `yield* builtins['Array.prototype.map'].call(xs, cb)`, which calls the callback through the green
 * calling convention, one element after the other, with the built-in's own sequential semantics (holes are
 * skipped, the length is read once, `thisArg` is passed on).
 *
 * Each entry is a generator function called with the receiver as `this` and the built-in's own arguments, so
 * the emitter only swaps the callee. If the receiver turns out not to use the real built-in (a user class with
 * its own `map`), the call falls back to a dynamic call of whatever method the receiver has: never wrong.
 */
import { GREEN, GREEN_ITERATOR, callDynamic, greenIterator, type Green } from './convention.js';

type Cb = (...args: any[]) => any;

/** Call a callback through the convention: its generator if it is green, plainly otherwise. */
function* invoke(cb: Cb, thisArg: unknown, a: unknown, b: unknown, c: unknown): Green<any> {
  const g = (cb as any)[GREEN];
  if (g !== undefined) return yield* g.call(thisArg, a, b, c);
  return cb.call(thisArg, a, b, c);
}

function* invoke4(cb: Cb, a: unknown, b: unknown, c: unknown, d: unknown): Green<any> {
  const g = (cb as any)[GREEN];
  if (g !== undefined) return yield* g.call(undefined, a, b, c, d);
  return cb.call(undefined, a, b, c, d);
}

function checkCallback(cb: unknown, what: string): asserts cb is Cb {
  if (typeof cb !== 'function') throw new TypeError(`${String(cb)} is not a function (${what})`);
}

const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as Record<string, unknown>;

/** The receiver really uses the built-in `name` of arrays or typed arrays; otherwise call what it has. */
function isBuiltin(recv: any, name: string): boolean {
  if (recv === null || recv === undefined) return false;
  const m = recv[name];
  return m === (Array.prototype as any)[name] || m === TypedArrayProto[name];
}

function* fallback(recv: any, name: string, args: IArguments | unknown[]): Green<any> {
  if (recv === null || recv === undefined) throw new TypeError(`Cannot read properties of ${recv} (reading '${name}')`);
  return yield* callDynamic(recv[name], recv, Array.prototype.slice.call(args));
}

/** Typed arrays' map/filter build a typed array of the same kind. */
function sameKind(recv: any, values: unknown[]): any {
  if (ArrayBuffer.isView(recv) && !(recv instanceof DataView)) return new (recv.constructor as any)(values);
  return values;
}

function* forEach(this: any, cb: Cb, thisArg?: unknown): Green<void> {
  checkCallback(cb, 'forEach');
  const o = this;
  const len = o.length >>> 0;
  for (let k = 0; k < len; k++) if (k in o) yield* invoke(cb, thisArg, o[k], k, o);
}

function* map(this: any, cb: Cb, thisArg?: unknown): Green<unknown[]> {
  checkCallback(cb, 'map');
  const o = this;
  const len = o.length >>> 0;
  const out: unknown[] = new Array(len);
  for (let k = 0; k < len; k++) if (k in o) out[k] = yield* invoke(cb, thisArg, o[k], k, o);
  return sameKind(o, out);
}

function* filter(this: any, cb: Cb, thisArg?: unknown): Green<unknown[]> {
  checkCallback(cb, 'filter');
  const o = this;
  const len = o.length >>> 0;
  const out: unknown[] = [];
  for (let k = 0; k < len; k++) {
    if (!(k in o)) continue;
    const v = o[k];
    if (yield* invoke(cb, thisArg, v, k, o)) out.push(v);
  }
  return sameKind(o, out);
}

function reduceImpl(name: 'reduce' | 'reduceRight', step: 1 | -1) {
  return function* (this: any, cb: Cb, ...init: unknown[]): Green<unknown> {
    checkCallback(cb, name);
    const o = this;
    const len = o.length >>> 0;
    let k = step === 1 ? 0 : len - 1;
    const inBounds = (i: number) => (step === 1 ? i < len : i >= 0);
    let acc: unknown;
    if (init.length > 0) acc = init[0];
    else {
      while (inBounds(k) && !(k in o)) k += step;
      if (!inBounds(k)) throw new TypeError('Reduce of empty array with no initial value');
      acc = o[k];
      k += step;
    }
    for (; inBounds(k); k += step) if (k in o) acc = yield* invoke4(cb, acc, o[k], k, o);
    return acc;
  };
}

function* some(this: any, cb: Cb, thisArg?: unknown): Green<boolean> {
  checkCallback(cb, 'some');
  const o = this;
  const len = o.length >>> 0;
  for (let k = 0; k < len; k++) if (k in o && (yield* invoke(cb, thisArg, o[k], k, o))) return true;
  return false;
}

function* every(this: any, cb: Cb, thisArg?: unknown): Green<boolean> {
  checkCallback(cb, 'every');
  const o = this;
  const len = o.length >>> 0;
  for (let k = 0; k < len; k++) if (k in o && !(yield* invoke(cb, thisArg, o[k], k, o))) return false;
  return true;
}

/** find/findIndex/findLast/findLastIndex visit holes too (as undefined), unlike the others. */
function findImpl(name: string, fromEnd: boolean, wantIndex: boolean) {
  return function* (this: any, cb: Cb, thisArg?: unknown): Green<unknown> {
    checkCallback(cb, name);
    const o = this;
    const len = o.length >>> 0;
    for (let i = 0; i < len; i++) {
      const k = fromEnd ? len - 1 - i : i;
      const v = o[k];
      if (yield* invoke(cb, thisArg, v, k, o)) return wantIndex ? k : v;
    }
    return wantIndex ? -1 : undefined;
  };
}

function* flatMap(this: any, cb: Cb, thisArg?: unknown): Green<unknown[]> {
  checkCallback(cb, 'flatMap');
  const o = this;
  const len = o.length >>> 0;
  const out: unknown[] = [];
  for (let k = 0; k < len; k++) {
    if (!(k in o)) continue;
    const r = yield* invoke(cb, thisArg, o[k], k, o);
    if (Array.isArray(r)) {
      for (let j = 0; j < r.length; j++) if (j in r) out.push(r[j]);
    } else out.push(r);
  }
  return out;
}

/**
 * `Array.from(items, mapFn, thisArg)` (and `Uint8Array.from`, …): `this` is the constructor the call was made
 * on. An iterable is walked through its green iterator, so `Array.from(iwait(gs))` and `Array.from(queue, fn)`
 * suspend at each element, and the map function runs between steps as the built-in does; an array-like is read
 * by index.
 */
function* from(this: any, items: any, mapFn?: Cb, thisArg?: unknown): Green<unknown> {
  if (mapFn !== undefined) checkCallback(mapFn, 'Array.from');
  if (items == null) throw new TypeError(`${String(items)} is not iterable (Array.from)`);
  const out: unknown[] = [];
  if (typeof items[Symbol.iterator] === 'function' || typeof items[GREEN_ITERATOR] === 'function') {
    const it = greenIterator<unknown>(items);
    for (let k = 0; ; k++) {
      const r = yield* it.next();
      if (r.done) break;
      let v = r.value;
      if (mapFn !== undefined) {
        try {
          v = yield* invoke(mapFn, thisArg, v, k, undefined);
        } catch (e) {
          // As the built-in: the iterator is closed when the map function throws (not when it throws itself).
          it.return?.();
          throw e;
        }
      }
      out.push(v);
    }
  } else {
    const o = Object(items);
    const len = o.length >>> 0;
    for (let k = 0; k < len; k++) out.push(mapFn === undefined ? o[k] : yield* invoke(mapFn, thisArg, o[k], k, undefined));
  }
  return this === Array || typeof this !== 'function' ? out : this.from(out);
}

/** Map and Set forEach: entries added during the walk are visited, deleted ones are not (their own iterator). */
function collectionForEach(kind: 'Map' | 'Set') {
  const proto: any = kind === 'Map' ? Map.prototype : Set.prototype;
  return function* (this: any, cb: Cb, thisArg?: unknown): Green<void> {
    checkCallback(cb, `${kind}.prototype.forEach`);
    const it = proto.entries.call(this) as IterableIterator<[unknown, unknown]>;
    for (let r = it.next(); !r.done; r = it.next()) {
      const [k, v] = r.value;
      yield* invoke(cb, thisArg, v, k, this);
    }
  };
}

/** `f.call(thisArg, ...args)` where `f` may be green: a call of `f`. */
function* functionCall(this: any, thisArg?: unknown, ...args: unknown[]): Green<unknown> {
  if (typeof this !== 'function' || this.call !== Function.prototype.call) return yield* fallback(this, 'call', [thisArg, ...args]);
  return yield* callDynamic(this, thisArg, args);
}

/** `f.apply(thisArg, args)` where `f` may be green. */
function* functionApply(this: any, thisArg?: unknown, args?: ArrayLike<unknown> | null): Green<unknown> {
  if (typeof this !== 'function' || this.apply !== Function.prototype.apply) return yield* fallback(this, 'apply', arguments);
  if (args != null && typeof args !== 'object' && typeof args !== 'function') throw new TypeError('CreateListFromArrayLike called on non-object');
  return yield* callDynamic(this, thisArg, args == null ? [] : Array.prototype.slice.call(args));
}

// eslint-disable-next-line require-yield
function* functionBind(this: any, ...args: unknown[]): Green<unknown> {
  return bindGreen(this, ...args);
}

/**
 * `f.bind(thisArg, ...args)` where `f` may be green (in plain code too): the bound function keeps the green
 * form — its `[GREEN]` is the generator bound the same way — so a later green call of it can suspend. The
 * result is the native bound function otherwise (name "bound f", length, `new` all as the built-in's).
 */
export function bindGreen(fn: any, ...args: unknown[]): any {
  if (typeof fn !== 'function' || fn.bind !== Function.prototype.bind) {
    if (fn == null) throw new TypeError(`Cannot read properties of ${fn} (reading 'bind')`);
    return fn.bind(...args);
  }
  const bound = Function.prototype.bind.apply(fn, args as [unknown, ...unknown[]]);
  const gen = fn[GREEN];
  if (gen !== undefined) bound[GREEN] = Function.prototype.bind.apply(gen, args as [unknown, ...unknown[]]);
  return bound;
}

type Method = (this: any, ...args: any[]) => Green<any>;

const arrayMethods: Record<string, Method> = {
  forEach,
  map,
  filter,
  reduce: reduceImpl('reduce', 1),
  reduceRight: reduceImpl('reduceRight', -1),
  some,
  every,
  find: findImpl('find', false, false),
  findIndex: findImpl('findIndex', false, true),
  findLast: findImpl('findLast', true, false),
  findLastIndex: findImpl('findLastIndex', true, true),
  flatMap,
};

/**
 * `xs.map(cb)`: the built-in's algorithm when the receiver really uses the built-in, else a dynamic call of the
 * receiver's own method. A plain function returning the generator, so the check adds no generator frame.
 */
function checked(name: string, method: Method): Method {
  if (name === 'forEach') {
    return function (this: any) {
      if (isBuiltin(this, 'forEach')) return method.apply(this, arguments as never);
      // A receiver the analysis could not type (forceGreen, `any`) may be a Map or a Set.
      if (this != null && this.forEach === Map.prototype.forEach) return mapForEach.apply(this, arguments as never);
      if (this != null && this.forEach === Set.prototype.forEach) return setForEach.apply(this, arguments as never);
      return fallback(this, name, arguments);
    };
  }
  return function (this: any) {
    return isBuiltin(this, name) ? method.apply(this, arguments as never) : fallback(this, name, arguments);
  };
}

function checkedCollection(proto: any, method: Method): Method {
  return function (this: any) {
    return this != null && this.forEach === proto.forEach ? method.apply(this, arguments as never) : fallback(this, 'forEach', arguments);
  };
}

const mapForEach = collectionForEach('Map');
const setForEach = collectionForEach('Set');

/**
 * The table the emitter indexes by the analysis's `CallSite.builtin` name. Names are the built-in's own
 * (`Array.prototype.map`); `ReadonlyArray.prototype.*` and `TypedArray.prototype.*` (and every concrete typed
 * array, `Uint8Array.prototype.map`, …) are accepted too, as is `Array.from` (and `Uint8Array.from`, …).
 */
export const builtins: Record<string, Method> = Object.create(null);
/**
 * The same built-ins applied to an explicit receiver, `Array.prototype.map.call(arrayLike, cb)` (and `.apply(recv,
 * [cb])`): the built-in's own algorithm whatever the receiver is (an array-like, an `arguments` object), as the
 * original call would run it. The emitter calls them with the original `.call`/`.apply` arguments.
 */
export const appliedBuiltins: Record<string, Method> = Object.create(null);
function define(name: string, method: Method, entry: Method): void {
  builtins[name] = entry;
  appliedBuiltins[name] = method;
}
for (const [name, fn] of Object.entries(arrayMethods)) {
  const entry = checked(name, fn);
  for (const owner of ['Array', 'ReadonlyArray', 'TypedArray', ...typedArrayNames()]) define(`${owner}.prototype.${name}`, fn, entry);
}
builtins['Array.from'] = from;
builtins['TypedArray.from'] = from;
for (const t of typedArrayNames()) builtins[`${t}.from`] = from;
builtins['Function.prototype.call'] = functionCall;
builtins['Function.prototype.apply'] = functionApply;
builtins['Function.prototype.bind'] = functionBind;
for (const [owner, proto, method] of [['Map', Map.prototype, mapForEach], ['Set', Set.prototype, setForEach]] as const) {
  const entry = checkedCollection(proto, method);
  define(`${owner}.prototype.forEach`, method, entry);
  define(`Readonly${owner}.prototype.forEach`, method, entry);
}

function typedArrayNames(): string[] {
  return [
    'Int8Array',
    'Uint8Array',
    'Uint8ClampedArray',
    'Int16Array',
    'Uint16Array',
    'Int32Array',
    'Uint32Array',
    'Float32Array',
    'Float64Array',
    'BigInt64Array',
    'BigUint64Array',
  ];
}
