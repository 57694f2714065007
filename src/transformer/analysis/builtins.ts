/**
 * What the analysis knows about untransformed built-ins: the higher-order ones that have green equivalents in
 * the runtime (design.md §4), how built-in containers move function values (element in, element out), and
 * which calls block the whole thread (design.md §6).
 */
import ts from 'typescript';
import type { PatchOptions } from '../api.js';

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];
const ARRAYS = new Set(['Array', 'ReadonlyArray', ...TYPED_ARRAYS]);
const COLLECTIONS = new Set(['Map', 'ReadonlyMap', 'Set', 'ReadonlySet', 'WeakMap', 'WeakSet']);
const ITERATORS = new Set(['Iterator', 'IterableIterator', 'IteratorObject', 'ArrayIterator', 'MapIterator', 'SetIterator', 'Generator']);

/** Array methods whose callback gets (element, index, array); reduce/reduceRight get (acc, element, ...). */
const ARRAY_CALLBACK_METHODS = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap',
]);

/** The interface (lib.d.ts) that declares a method, e.g. 'Array' for `xs.map`. */
export function declaringInterface(decl: ts.Declaration): string | undefined {
  const p = decl.parent;
  if (p && ts.isInterfaceDeclaration(p)) return p.name.text;
  return undefined;
}

export interface BuiltinCall {
  /** The runtime's name for the green equivalent: 'Array.prototype.map', 'Map.prototype.forEach', 'Array.from'. */
  name: string;
  /** Index of the callback argument. */
  callback: number;
  /** Which callback parameter receives the container's elements. */
  elementParam: number;
  /** reduce/reduceRight: the callback's parameter 0 and its result are the accumulator, which is also the
   * call's result; its results do not become elements. */
  accumulates?: boolean;
}

/** A known higher-order built-in, by the interface declaring the called method and its name. */
export function higherOrderBuiltin(iface: string, method: string): BuiltinCall | undefined {
  if (ARRAYS.has(iface) && ARRAY_CALLBACK_METHODS.has(method)) {
    const owner = iface === 'Array' || iface === 'ReadonlyArray' ? 'Array' : 'TypedArray';
    if (method.startsWith('reduce')) return { name: `${owner}.prototype.${method}`, callback: 0, elementParam: 1, accumulates: true };
    return { name: `${owner}.prototype.${method}`, callback: 0, elementParam: 0 };
  }
  if (COLLECTIONS.has(iface) && method === 'forEach') {
    const owner = iface.includes('Map') ? 'Map' : 'Set';
    return { name: `${owner}.prototype.forEach`, callback: 0, elementParam: 0 };
  }
  if (iface === 'ArrayConstructor' && method === 'from') return { name: 'Array.from', callback: 1, elementParam: 0 };
  const typed = TYPED_ARRAYS.find((t) => iface === `${t}Constructor`);
  if (typed !== undefined && method === 'from') return { name: 'TypedArray.from', callback: 1, elementParam: 0 };
  return undefined;
}

/** Is this interface an array's (Array, ReadonlyArray, a typed array), whose methods read any array-like? */
export function isArrayInterface(iface: string): boolean {
  return ARRAYS.has(iface);
}

/** Is this a method of a built-in container (its arguments may become elements, its result may be one)? */
export function isContainerInterface(iface: string): boolean {
  return ARRAYS.has(iface) || COLLECTIONS.has(iface) || ITERATORS.has(iface) || iface === 'ArrayConstructor';
}

/** Arguments of a container method that become elements (`push(x)`, `set(k, x)`, `add(x)`); -1: none. */
export function elementArgsFrom(iface: string, method: string): number {
  if (ARRAYS.has(iface)) {
    if (method === 'push' || method === 'unshift' || method === 'concat' || method === 'fill') return 0;
    if (method === 'splice') return 2;
    if (method === 'with') return 1;
    return -1;
  }
  if (method === 'set') return 1;
  if (method === 'add') return 0;
  if (iface === 'ArrayConstructor' && method === 'of') return 0;
  return -1;
}

/** `Object.values(o)` / `Object.entries(o)`: the result's elements are o's properties. */
export function objectValuesMethod(iface: string, method: string): boolean {
  return iface === 'ObjectConstructor' && (method === 'values' || method === 'entries');
}

/** `f.call(this, ...)`, `f.apply(this, args)`, `f.bind(this, ...)`. */
export function functionMethod(iface: string, method: string): 'call' | 'apply' | 'bind' | undefined {
  if (iface !== 'Function' && iface !== 'CallableFunction' && iface !== 'NewableFunction') return undefined;
  return method === 'call' || method === 'apply' || method === 'bind' ? method : undefined;
}

export interface ThreadBlocker {
  /** What to use instead. */
  fix: string;
  /** The patch option that makes the import green, or undefined when there is none. */
  patch?: keyof PatchOptions;
}

/** A call that blocks the whole thread (design.md §6): fs.*Sync, child_process.*Sync, Atomics.wait. */
export function threadBlocker(decl: ts.Declaration, name: string, patch: boolean | PatchOptions | undefined): ThreadBlocker | undefined {
  const file = decl.getSourceFile().fileName;
  const on = (k: keyof PatchOptions) => patch === true || (typeof patch === 'object' && patch[k] === true);
  if (name.endsWith('Sync')) {
    if (/\/@types\/node\/(fs|fs\/promises)\.d\.ts$/.test(file)) {
      return on('fs') ? undefined : { fix: `greenlets/fs's ${name}`, patch: 'fs' };
    }
    if (/\/@types\/node\/child_process\.d\.ts$/.test(file)) {
      return on('childProcess') ? undefined : { fix: `greenlets/subprocess's ${name}`, patch: 'childProcess' };
    }
  }
  if (name === 'wait' && declaringInterface(decl) === 'Atomics') {
    return { fix: 'waitFor(Atomics.waitAsync(...).value) or a greenlets Event' };
  }
  return undefined;
}
