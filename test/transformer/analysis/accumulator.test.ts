/**
 * reduce/reduceRight's accumulator as a place function values flow through: the initial value and the
 * callback's results are in it, the callback's first parameter and the call's result read it (and, without
 * an initial value, the elements start it). A function composed or picked by a reduce is called green.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe("reduce/reduceRight's accumulator", () => {
  it('reduceRight composing middlewares: the composed handler holds their blocking closures', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
type Handler = (line: string) => string;
type Middleware = (next: Handler) => Handler;
const throttle = (s: number): Middleware => (next) => (line) => { sleep(s); return next(line); };
const tag = (label: string): Middleware => (next) => (line) => label + next(line);
function compose(...mws: Middleware[]): (h: Handler) => Handler {
  return (h) => mws.reduceRight((acc, mw) => mw(acc), h);
}
const handler = compose(tag('a'), throttle(0), tag('b'))((line) => line.toUpperCase());
export function serve(lines: string[]): string[] {
  return lines.map((l) => handler(l));
}
`,
    });
    expect(a.call('main.ts', 'handler(l)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'lines.map((l) => handler(l))')).toEqual({ kind: 'green', builtin: 'Array.prototype.map' });
    // tag's closure blocks through the next handler, the one throttle's closure is
    expect(a.call('main.ts', 'next(line)')).toEqual({ kind: 'dynamic' });
    expect(a.green('main.ts')).toContain('serve');
    // composing calls only the middlewares, which return closures without calling them
    expect(a.call('main.ts', 'mw(acc)')).toBe('plain');
    expect(a.diagnostics()).toEqual([]);
  });

  it('reduce with a green initial value: the result may be it (also on a ReadonlyArray and a typed array)', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
type Handler = (s: string) => string;
const slow: Handler = (s) => { sleep(0); return s; };
export function first(hs: Handler[]): string {
  return hs.reduce<Handler>((acc) => acc, slow)('x');
}
export function fromReadonly(hs: readonly Handler[]): string {
  const h = hs.reduce<Handler>((acc) => acc, slow);
  return h('y');
}
export function fromBytes(bytes: Uint8Array): string {
  const h = bytes.reduceRight<Handler>((acc) => acc, slow);
  return h('z');
}
`,
    });
    expect(a.call('main.ts', "hs.reduce<Handler>((acc) => acc, slow)('x')")).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', "h('y')")).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', "h('z')")).toEqual({ kind: 'dynamic' });
    expect(a.green('main.ts')).toEqual(expect.arrayContaining(['first', 'fromBytes', 'fromReadonly']));
    // the initial value is handed back, not called: the reduce itself is a plain call, nothing is adapted
    expect(a.call('main.ts', 'hs.reduce<Handler>((acc) => acc, slow)')).toBe('plain');
    expect(a.file('main.ts').spawnAdapted.size).toBe(0);
    expect(a.diagnostics()).toEqual([]);
  });

  it('reduce without an initial value over green functions: the first element starts the accumulator', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
type Job = () => number;
function slow(): number { sleep(0); return 1; }
function fast(): number { return 2; }
const jobs: Job[] = [slow, fast];
export function pickFirst(): number {
  const job = jobs.reduce((chosen) => chosen);
  return job();
}
export function pickLast(): number {
  return jobs.reduceRight((_chosen, j) => j)();
}
export function runAllButLast(): Job {
  return jobs.reduce((prev, j) => { prev(); return j; });
}
`,
    });
    expect(a.call('main.ts', 'job()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'jobs.reduceRight((_chosen, j) => j)()')).toEqual({ kind: 'dynamic' });
    // the callback's first parameter gets the first element (slow): the callback, and so the reduce, block
    expect(a.call('main.ts', 'prev()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'jobs.reduce((prev, j) => { prev(); return j; })')).toEqual({ kind: 'green', builtin: 'Array.prototype.reduce' });
    expect(a.green('main.ts')).toEqual([`<arrow function at ${a.at('main.ts', '(prev, j) =>')}>`, 'pickFirst', 'pickLast', 'runAllButLast', 'slow']);
    expect(a.diagnostics()).toEqual([]);
  });

  it('a number accumulator over green functions stays a number: nothing green comes out of the reduce', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
type Job = () => void;
function slow(): void { sleep(0); }
function invoke(x: unknown): void {
  if (typeof x === 'function') x();
}
export function arity(jobs: Job[]): void {
  invoke(jobs.reduce((n, j) => n + j.length, 0));
}
arity([slow]);
`,
    });
    expect(a.call('main.ts', 'x()')).toBe('plain');
    expect(a.green('main.ts')).toEqual(['slow']);
    expect(a.diagnostics()).toEqual([]);
  });

  it('a chained call of the result: `arr.reduce(...)(x)` with callbacks that wrap', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
type Fn = (n: number) => number;
const later = (f: Fn): Fn => (n) => { sleep(0); return f(n); };
export function run(wrappers: Array<(f: Fn) => Fn>): number {
  return wrappers.reduce((f, w) => w(f), (n: number) => n + 1)(41);
}
run([later]);
`,
    });
    expect(a.call('main.ts', 'wrappers.reduce((f, w) => w(f), (n: number) => n + 1)(41)')).toEqual({ kind: 'dynamic' });
    expect(a.green('main.ts')).toContain('run');
    expect(a.diagnostics()).toEqual([]);
  });
});
