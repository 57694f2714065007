/**
 * Library builds (declaration: true / composite) and the callbacks of outside callers (issue 3, design.md §2):
 * ordinary code that never touches greenlets stays plain — no green function, no diagnostic, no adaptation —
 * and in a library that does use greenlets, what outside callers pass makes a function green only where a
 * `@blocking <param>` tag can say so: a function (not async, not a constructor) calling its own parameter.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/helpers.js';

/** Utilities a TypeScript library typically exports: all of them call functions they are given. */
const UTILS = `
import { EventEmitter } from 'node:events';

export type Listener<T> = (value: T) => void;

/** An event emitter of its own: handlers in a Map of arrays, called later. */
export class Emitter<T> {
  private handlers = new Map<string, Listener<T>[]>();
  on(name: string, fn: Listener<T>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(fn);
    this.handlers.set(name, list);
    return () => this.off(name, fn);
  }
  off(name: string, fn: Listener<T>): void {
    const list = this.handlers.get(name);
    if (list) this.handlers.set(name, list.filter((h) => h !== fn));
  }
  emit(name: string, value: T): number {
    const list = this.handlers.get(name) ?? [];
    for (const h of list) h(value);
    return list.length;
  }
}

export function retry<T>(fn: (attempt: number) => T, attempts: number): T {
  for (let i = 1; ; i++) {
    try { return fn(i); } catch (e) { if (i >= attempts) throw e; }
  }
}

export async function retryAsync<T>(fn: () => Promise<T>, attempts: number): Promise<T> {
  for (let i = 1; ; i++) {
    try { return await fn(); } catch (e) { if (i >= attempts) throw e; }
  }
}

/** At most \`n\` calls of fn run at once. */
export function limit<A extends unknown[], R>(n: number, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (...args: A) => {
    while (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try { return await fn(...args); } finally { active--; waiting.shift()?.(); }
  };
}

export function memoize<K, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, fn(key));
    return cache.get(key)!;
  };
}

export function compose<T>(...fns: Array<(x: T) => T>): (x: T) => T {
  return (x) => fns.reduceRight((acc, f) => f(acc), x);
}

export function each<T>(xs: readonly T[], fn: (x: T, i: number) => void): void {
  xs.forEach(fn);
}

export function sortBy<T>(xs: T[], key: (x: T) => number): T[] {
  return [...xs].sort((a, b) => key(a) - key(b));
}

export function debounce(fn: () => void, ms: number): () => void {
  let t: NodeJS.Timeout | undefined;
  return () => { clearTimeout(t); t = setTimeout(fn, ms); };
}

export function forward(from: EventEmitter, name: string, to: (x: unknown) => void): void {
  from.on(name, to);
}

export function delayed<T>(make: () => T, ms: number): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => { try { resolve(make()); } catch (e) { reject(e); } }, ms));
}

export class Task {
  private runs = 0;
  constructor(private readonly body: (n: number) => void, readonly name: string) {
    body(0);
  }
  run(): void { this.body(++this.runs); }
  bound(): () => void { return this.run.bind(this); }
}

export const bindAll = (fns: Array<(this: unknown) => void>, self: unknown) => fns.map((f) => f.bind(self));
`;

const lib = { declaration: true } as const;

describe('a plain library project with declaration: true (no greenlets anywhere)', () => {
  it('has no green function, no diagnostic, no adapted callback and no rewritten bind', () => {
    const a = analyze({ 'utils.ts': UTILS, 'index.ts': "export * from './utils.js';\n" }, { compilerOptions: lib });
    expect(a.green('utils.ts')).toEqual([]);
    expect(a.diagnostics()).toEqual([]);
    const fa = a.file('utils.ts');
    expect(fa.spawnAdapted.size).toBe(0);
    expect(fa.bindCalls?.size ?? 0).toBe(0);
    expect(fa.calls.size).toBe(0);
    expect(a.analysis.greenFraction()).toBe(0);
  });
});

describe('a library that uses greenlets, built with declaration: true', () => {
  const src = UTILS + `
import { sleep } from 'greenlets';
export function pause(s: number): void { sleep(s); }
export function poll(check: () => boolean, every: number): void { while (!check()) pause(every); }
`;

  it('is green where it blocks, conditional where it calls its own callback parameters, plain elsewhere', () => {
    const a = analyze({ 'utils.ts': src }, { compilerOptions: lib });
    // retry, each (through forEach) and the nested arrow of memoize call their own parameters; the
    // arrow of memoize calls a captured one (plain: the consumer adapts), async functions and constructors
    // cannot be tagged conditional, and Emitter.emit calls stored handlers.
    expect(a.green('utils.ts')).toEqual(['each', 'pause', 'poll', 'retry']);
    const cond = [...a.file('utils.ts').conditional!].map(([fn, names]) => `${(fn as { name?: { getText(): string } }).name?.getText()}(${names.join(',')})`).sort();
    expect(cond).toEqual(['each(fn)', 'retry(fn)']);
    expect(a.diagnostics()).toEqual([]);
    expect(a.file('utils.ts').spawnAdapted.size).toBe(0);
    expect(a.explain('utils.ts', 'poll')[0]).toMatch(/^poll calls pause at utils\.ts:\d+:\d+$/);
  });

  it('rest-parameter callbacks are not opened (no tag can name "each of them"): compose stays plain', () => {
    const a = analyze({ 'utils.ts': src }, { compilerOptions: lib });
    expect(a.green('utils.ts')).not.toContain('compose');
  });

  it('a program using the same utilities with green functions makes exactly the users green', () => {
    const main = `
import { retry, each, compose, Emitter } from './utils.js';
import { sleep } from 'greenlets';
export function fetchTwice(): number { return retry((n) => { sleep(0); return n; }, 2); }
export function plainTwice(): number { return retry((n) => n * 2, 2); }
export function visit(xs: number[]) { each(xs, (x) => { sleep(0); console.log(x); }); }
export function inc(x: number) { return compose<number>((y) => y + 1, (y) => { sleep(0); return y; })(x); }
const em = new Emitter<string>();
em.on('line', (s) => { sleep(0); console.log(s); });
export function fire() { return em.emit('line', 'x'); }
`;
    const a = analyze({ 'utils.ts': src, 'main.ts': main }, { compilerOptions: lib });
    const green = a.green('main.ts');
    expect(green).toContain('fetchTwice');
    expect(green).toContain('visit');
    expect(green).toContain('inc');
    expect(green).toContain('fire');
    expect(green).not.toContain('plainTwice');
    expect(a.call('main.ts', 'retry((n) => n * 2, 2)')).toBe('plain');
    // compose itself only builds the function: the one it returns (and its reducer) call the green fns
    const composed = `<arrow function at ${a.at('utils.ts', '(x) => fns.reduceRight')}>`;
    expect(a.green('utils.ts')).toEqual(expect.arrayContaining(['Emitter.emit', composed, 'each', 'retry']));
    expect(a.green('utils.ts')).not.toContain('compose');
    expect(a.diagnostics()).toEqual([]);
  });
});
