/**
 * A higher-order built-in hands the elements of its receiver to its callback: when they are blocking iterables
 * and the callback's parameter is typed `Iterable<T>` (`queues.map(total)`), the callback's iteration goes
 * through greenIterator and the call is green, as a direct `total(q)` would be. (The built-in's call is then
 * dynamic — the callback's green form when it has one — also where it maps total over arrays of arrays: a
 * function that blocks only for some arguments counts as green for the callbacks of built-ins.)
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('blocking iterables handed to a callback as elements', () => {
  const a = analyze({
    'main.ts': `
import { Queue } from 'greenlets';
export function total(xs: Iterable<number>): number { let t = 0; for (const x of xs) t += x; return t; }
export function viaMap(qs: Queue<number>[]): number[] { return qs.map(total); }
export function viaForEach(qs: Queue<number>[]): void { qs.forEach(function each(q: Iterable<number>) { for (const x of q) void x; }); }
export function viaFrom(qs: Queue<number>[]): number[] { return Array.from(qs, total); }
export function arrays(xss: number[][]): number[] { return xss.map(total); }
`,
  });

  it('the callbacks iterate dynamically and the calls handing them queues are green', () => {
    expect(a.iteration('main.ts', 'for (const x of xs)')).toBe('dynamic');
    expect(a.iteration('main.ts', 'for (const x of q)')).toBe('dynamic');
    const green = a.green('main.ts');
    for (const f of ['total', 'viaMap', 'viaForEach', 'viaFrom', 'each']) expect(green).toContain(f);
    expect(a.call('main.ts', 'qs.map(total)')).toEqual({ kind: 'dynamic', builtin: 'Array.prototype.map' });
    expect(a.call('main.ts', 'Array.from(qs, total)')).toEqual({ kind: 'dynamic', builtin: 'Array.from' });
    expect(a.diagnostics('main.ts')).toEqual([]);
  });
});

describe('blocking iterables stored in a container of a general element type', () => {
  const a = analyze({
    'main.ts': `
import { Queue } from 'greenlets';
export function sum(xs: Iterable<number>): number { let t = 0; for (const x of xs) t += x; return t; }
export function declared(q1: Queue<number>, q2: Queue<number>): number {
  const sources: Iterable<number>[] = [q1, q2];
  let t = 0;
  for (const s of sources) for (const x of s) t += x;
  return t;
}
export function pushed(q: Queue<number>): number[] {
  const all: Iterable<number>[] = [];
  all.push(q);
  return all.map(sum);
}
export function numbers(xss: number[][]): number { let t = 0; for (const row of xss) for (const n of row) t += n; return t; }
`,
  });

  it('the elements read back may be blocking: their iterations are dynamic and the readers green', () => {
    expect(a.iteration('main.ts', 'for (const x of s)')).toBe('dynamic');
    expect(a.iteration('main.ts', 'for (const x of xs)')).toBe('dynamic');
    const green = a.green('main.ts');
    for (const f of ['declared', 'pushed', 'sum']) expect(green).toContain(f);
    expect(a.diagnostics('main.ts')).toEqual([]);
  });

  it('elements of a concrete type (number[][]) are not taken for them', () => {
    expect(a.iteration('main.ts', 'for (const n of row)')).toBe('plain');
    expect(a.green('main.ts')).not.toContain('numbers');
  });
});
