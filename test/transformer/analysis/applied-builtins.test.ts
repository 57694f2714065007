/**
 * `Array.prototype.map.call(recv, cb)`, `Array.prototype.forEach.call(arrayLike, cb)`, `.apply(recv, [cb])`: the
 * known higher-order built-in applied to an explicit receiver. A green callback makes the call the green built-in
 * (applied: the emitter calls the runtime's form with the same arguments) and its function green, as
 * `recv.map(cb)` does; `.apply` with an array that is not a literal is left alone.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('built-ins read off a prototype and applied with .call / .apply', () => {
  const a = analyze({
    'main.ts': `
import { sleep, Queue } from 'greenlets';
function slow(x: number): number { sleep(0.001); return x * 2; }
export function viaCall(xs: number[]): unknown { return Array.prototype.map.call(xs, (x: number) => slow(x)); }
export function onArrayLike(xs: ArrayLike<number>): void { Array.prototype.forEach.call(xs, (x: number) => { slow(x); }); }
export function viaApply(xs: number[]): unknown { return Array.prototype.filter.apply(xs, [(x: number) => slow(x) > 2]); }
export function summed(xs: number[]): unknown { return Array.prototype.reduce.call(xs, (acc: any, x: number) => acc + slow(x), 0); }
export function onMap(m: Map<string, number>): void { Map.prototype.forEach.call(m, (v: number) => { slow(v); }); }
export function plainCallback(xs: number[]): unknown { return Array.prototype.map.call(xs, (x: number) => x + 1); }
export function applyArray(xs: number[], args: [(x: number) => number]): unknown { return Array.prototype.map.apply(xs, args); }
export function onQueue(q: Queue<number>): unknown { return Array.prototype.map.call(q, (x: number) => x); }
`,
  });

  it('a green callback: the green built-in, applied, and the function is green; a plain one stays plain', () => {
    expect(a.call('main.ts', 'Array.prototype.map.call(xs, (x: number) => slow(x))')).toEqual({ kind: 'green', builtin: 'Array.prototype.map', applied: 'call' });
    expect(a.call('main.ts', 'Array.prototype.forEach.call(xs, (x: number) => { slow(x); })')).toEqual({ kind: 'green', builtin: 'Array.prototype.forEach', applied: 'call' });
    expect(a.call('main.ts', 'Array.prototype.filter.apply(xs, [(x: number) => slow(x) > 2])')).toEqual({ kind: 'green', builtin: 'Array.prototype.filter', applied: 'apply' });
    expect(a.call('main.ts', 'Array.prototype.reduce.call(xs, (acc: any, x: number) => acc + slow(x), 0)')).toEqual({ kind: 'green', builtin: 'Array.prototype.reduce', applied: 'call' });
    expect(a.call('main.ts', 'Map.prototype.forEach.call(m, (v: number) => { slow(v); })')).toEqual({ kind: 'green', builtin: 'Map.prototype.forEach', applied: 'call' });
    const green = a.green('main.ts');
    for (const f of ['viaCall', 'onArrayLike', 'viaApply', 'summed', 'onMap']) expect(green).toContain(f);
    // A plain callback, or an .apply array that is not a literal: plain.
    expect(a.call('main.ts', 'Array.prototype.map.call(xs, (x: number) => x + 1)')).toBe('plain');
    expect(a.call('main.ts', 'Array.prototype.map.apply(xs, args)')).toBe('plain');
    expect(a.green('main.ts')).not.toContain('plainCallback');
    expect(a.green('main.ts')).not.toContain('applyArray');
  });

  it('a blocking iterable as the receiver is read as an array-like, not iterated: GL1006', () => {
    expect(a.codes('main.ts')).toEqual(['GL1006 11:86']);
  });
});
