/**
 * A blocking iterable given to untransformed code that iterates it (`new Set(q)`, `Promise.all(iwait(gs))`, a
 * library's `(xs: Iterable<T>)`, `Array.prototype.slice.call(q)`) is walked with its ordinary iterator, which
 * throws BlockingSwitchOutError when an element is not ready: GL1006 at the argument. Not for the green
 * built-ins, own callees, parameters declared as blocking iterables, or places that do not iterate.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

const lib = {
  'node_modules/iter-lib/package.json': '{ "name": "iter-lib", "types": "index.d.ts" }',
  'node_modules/iter-lib/index.d.ts': `
import type { Queue } from 'greenlets';
export declare function total(xs: Iterable<number>): number;
export declare function firstOf<T, I extends Iterable<T>>(xs: I): T;
export declare function drain<T>(q: Queue<T>): T[];
export declare function keep(x: unknown): void;
export declare function maybe(xs: Iterable<number> | null | undefined): void;
`,
};

describe('blocking iterables passed to untransformed code that iterates them', () => {
  const a = analyze({
    ...lib,
    'main.ts': `
import { iwait, spawn, sleep, Queue } from 'greenlets';
import { total, firstOf, drain, keep, maybe } from 'iter-lib';
const q = new Queue<number>();
const gs = [spawn(() => { sleep(0.01); return 1; })];
export function own(xs: Iterable<number>): number { let n = 0; for (const x of xs) n += x; return n; }
export function bad(): void {
  const s = new Set(q);
  const m = new Map<number, number>(iwait([[1, 2] as [number, number]]));
  void Promise.all(iwait(gs));
  total(q);
  firstOf(q);
  maybe(q);
  const sliced = Array.prototype.slice.call(q);
  void s; void m; void sliced;
}
export function fine(): void {
  const a = Array.from(q);
  const b = [...q];
  for (const x of q) a.push(x);
  own(q);
  drain(q);
  keep(q);
  console.log(q);
  const holder: Queue<number>[] = [];
  holder.push(q);
  const s = new Set([1, 2]);
  total([1, 2]);
  void b; void s;
}
`,
  });

  it('GL1006 at each argument, naming the callee', () => {
    const d = a.diagnostics('main.ts').filter((x) => x.code === 'GL1006');
    expect(d.map((x) => `${x.line}:${x.column}`)).toEqual(['8:21', '9:37', '10:20', '11:9', '12:11', '13:9', '14:45']);
    expect(d.every((x) => x.category === 'warning')).toBe(true);
    expect(d[0]!.message).toContain('q is a blocking iterable passed to new Set');
    expect(d[0]!.message).toContain('Array.from(q)');
    expect(d[2]!.message).toContain('iwait(gs) is a blocking iterable passed to Promise.all');
    expect(d[6]!.message).toContain('passed to Array.prototype.slice.call');
  });

  it('none for green built-ins, own callees, a parameter typed as a blocking iterable, or code that does not iterate', () => {
    expect(a.codes('main.ts')).toEqual(['GL1006 8:21', 'GL1006 9:37', 'GL1006 10:20', 'GL1006 11:9', 'GL1006 12:11', 'GL1006 13:9', 'GL1006 14:45']);
  });
});
