/**
 * Blocking iterables (iwait(), a Queue) handed on under a more general type — a parameter `Iterable<T>`, a
 * type parameter, `unknown`, an annotated variable, a field, a return type, a cast — still block where they are
 * iterated: the iteration there goes through greenIterator and its function is green. A function that iterates
 * its own parameter blocks only for the callers that pass a blocking iterable; an iteration that never
 * receives one stays plain.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('a blocking iterable passed to a parameter of a general type', () => {
  const a = analyze({
    'main.ts': `
import { iwait, spawn, sleep, Queue } from 'greenlets';
export function count(objs: Iterable<object>): number { return [...objs].length; }
export function first<T>(it: Iterable<T>): T | undefined { for (const x of it) return x; return undefined; }
export function firstOf<T>(it: Iterable<T>): T | undefined { const [x] = it; return x; }
export function listed<T>(it: Iterable<T>): T[] { return Array.from(it); }
export function take<T>(it: Iterable<T>, n: number): T[] { const out: T[] = []; for (const x of it) { if (out.length >= n) break; out.push(x); } return out; }
export function anything(it: unknown): number { return [...(it as Iterable<unknown>)].length; }
export function forwards<T>(xs: Iterable<T>): T[] { return take(xs, 2); }
export function arraysOnly(): number { return count([{}, {}]) + take([1, 2, 3], 2).length + forwards([1]).length; }
export function neverGiven(xs: Iterable<number>): number { let n = 0; for (const x of xs) n += x; return n; }
export function unused(): number { return neverGiven([1, 2]); }
const g = spawn(() => { sleep(0.01); return 1; });
export function byIwait(): number { return count(iwait([g])); }
export function byQueue(q: Queue<number>): number[] { return take(q, 2); }
export function byForward(): number[] { return forwards(iwait([1, 2])); }
export function byFirst(): object | undefined { return first(iwait([g])); }
export function byDestructuring(): object | undefined { return firstOf(iwait([g])); }
export function byArrayFrom(): object[] { return listed(iwait([g])); }
export function byUnknown(): number { return anything(new Queue<number>()); }
export function byForwardedQueue(q: Queue<number>): number[] { return forwards(q); }
`,
  });

  it('the iterations of the parameter go through greenIterator; the function is green', () => {
    expect(a.iteration('main.ts', '...objs')).toBe('dynamic');
    expect(a.iteration('main.ts', 'for (const x of it) return')).toBe('dynamic');
    expect(a.iteration('main.ts', '[x]')).toBe('dynamic');
    expect(a.iteration('main.ts', 'for (const x of it) {')).toBe('dynamic');
    expect(a.iteration('main.ts', '...(it as')).toBe('dynamic');
    expect(a.call('main.ts', 'Array.from(it)')).toMatchObject({ builtin: 'Array.from' });
    for (const f of ['count', 'first', 'firstOf', 'listed', 'take', 'anything', 'forwards']) expect(a.green('main.ts')).toContain(f);
  });

  it('they block only for callers that pass a blocking iterable: those are green, callers passing arrays plain', () => {
    const green = a.green('main.ts');
    for (const f of ['byIwait', 'byQueue', 'byForward', 'byFirst', 'byDestructuring', 'byArrayFrom', 'byUnknown', 'byForwardedQueue']) expect(green).toContain(f);
    expect(green).not.toContain('arraysOnly');
    expect(a.file('main.ts').conditional!.get(a.fn('main.ts', 'take') as never)).toEqual(['it']);
    expect(a.call('main.ts', 'take(q, 2)')).toMatchObject({ kind: 'green' });
    // A parameter typed Queue is a blocking iterable whatever the callers pass: byQueue blocks always.
    expect(a.file('main.ts').conditional!.has(a.fn('main.ts', 'byQueue') as never)).toBe(false);
  });

  it('... while an iteration that never receives one stays plain, and its function too', () => {
    expect(a.green('main.ts')).toContain('take'); // (the same program: helpers that do receive one are green)
    expect(a.iteration('main.ts', 'for (const x of xs)')).toBe('plain');
    expect(a.green('main.ts')).not.toContain('neverGiven');
    expect(a.green('main.ts')).not.toContain('unused');
    expect(a.diagnostics('main.ts')).toEqual([]);
  });

  it('--explain names the parameter and the caller that passes one', () => {
    expect(a.explain('main.ts', 'byForwardedQueue')).toEqual([
      'byForwardedQueue calls forwards at main.ts:21:71, passing a blocking iterable as xs (forwards blocks only when given one)',
      'forwards passes its parameter xs to take at main.ts:9:60; it blocks only when its caller passes a blocking iterable as xs',
      'take iterates its parameter it (Iterable<T>) at main.ts:7:81; it blocks only when its caller passes a blocking iterable as it',
    ]);
  });
});

describe('other places of a general type', () => {
  const a = analyze({
    'main.ts': `
import { iwait, spawn, sleep, Queue } from 'greenlets';
const g = spawn(() => { sleep(0.01); return 1; });
class Source<T> {
  items: Iterable<T>;
  constructor(items: Iterable<T>) { this.items = items; }
  drain(): T[] { return [...this.items]; }
}
export function viaField(): object[] { return new Source(iwait([g])).drain(); }
export function viaVariable(q: Queue<number>): number { const xs: Iterable<number> = q; let n = 0; for (const x of xs) n += x; return n; }
export function viaCast(): number { const xs = iwait([g]) as Iterable<object>; return [...xs].length; }
function source(q: Queue<number>): Iterable<number> { return q; }
export function viaReturn(q: Queue<number>): number[] { return [...source(q)]; }
export function viaUnion(q: Queue<number> | number[]): number[] { return [...q]; }
export function plainUnion(ys: Set<number> | number[]): number[] { return [...ys]; }
`,
  });

  it('a field, an annotated variable, a cast, a return type and a union with one block where iterated', () => {
    expect(a.iteration('main.ts', '...this.items')).toBe('dynamic');
    expect(a.iteration('main.ts', 'for (const x of xs)')).toBe('dynamic');
    expect(a.iteration('main.ts', '...xs')).toBe('dynamic');
    expect(a.iteration('main.ts', '...source(q)')).toBe('dynamic');
    expect(a.iteration('main.ts', '...q')).toBe('dynamic');
    for (const f of ['Source.drain', 'viaField', 'viaVariable', 'viaCast', 'viaReturn', 'viaUnion']) expect(a.green('main.ts')).toContain(f);
    expect(a.green('main.ts')).not.toContain('plainUnion');
    expect(a.iteration('main.ts', '...ys')).toBe('plain');
  });
});

describe('user generators cannot be made green', () => {
  const a = analyze({
    'main.ts': `
import { iwait, spawn, sleep } from 'greenlets';
const g = spawn(() => { sleep(0.01); return 1; });
export function* delegate<T>(it: Iterable<T>): Generator<T> { yield* it; }
export function* direct(): Generator<object> { yield* iwait([g]); }
export function* arrays(): Generator<number> { yield* [1, 2]; }
export function use(): number { return [...delegate(iwait([g]))].length + [...delegate([1])].length + [...arrays()].length; }
`,
  });

  it('yield* over a blocking iterable, directly or handed in, is GL1015 at the yield*; over arrays it is fine', () => {
    expect(a.codes('main.ts')).toEqual(['GL1015 4:63', 'GL1015 5:48']);
    expect(a.diagnostics('main.ts')[0]!.message).toMatch(/^generator function delegate calls green function a blocking iterable/);
  });
});
