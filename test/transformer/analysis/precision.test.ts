/**
 * Precision: the types prune the field-based flow, so one green function stored somewhere does not make every
 * loop over every array, or every call through a same-named property, green (Asyncify's trap). Measured on
 * the realistic programs too: the differential corpus (nothing blocks: 0 green) and a blocking crawler (exactly
 * the functions that can reach a blocking call).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, repoRoot } from './helpers.js';

describe('type-based pruning of the flow', () => {
  it('elements: a green thunk in one array does not flow into `for (const item of queue)` over numbers', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const queue: number[] = [1, 2, 3];
const jobs = [() => { sleep(1); }];
export function work() {
  for (const item of queue) console.log(item);
  for (const j of jobs) j();
}
export function sum(xs: number[], names: Map<string, string>) {
  let s = 0;
  for (const x of xs) s += x;
  for (const [k, v] of names) console.log(k, v, xs[0], names.get(k));
  return s;
}
`,
    });
    expect(a.green('main.ts')).toEqual([`<arrow function at ${a.at('main.ts', '() => { sleep(1); }')}>`, 'work']);
    expect(a.call('main.ts', 'console.log(item)')).toBe('plain');
    expect(a.call('main.ts', 'j()')).toEqual({ kind: 'dynamic' });
    expect(a.diagnostics()).toEqual([]);
    expect(a.file('main.ts').spawnAdapted.size).toBe(0);
  });

  it('properties: a green `name()` method does not make every `.name` passed to console.log a green callback', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
class Remote { name() { sleep(0); return 'r'; } }
interface Person { name: string; greet: (who: string) => string }
export function show(p: Person, r: Remote) {
  sleep(0);
  console.log(p.name, p.greet('x'));
  return r.name();
}
export const people: Person[] = [{ name: 'ann', greet: (w) => 'hi ' + w }];
`,
    });
    expect(a.green('main.ts')).toEqual(['Remote.name', 'show']);
    expect(a.call('main.ts', "p.greet('x')")).toBe('plain');
    expect(a.call('main.ts', 'r.name()')).toEqual({ kind: 'green' });
    expect(a.diagnostics()).toEqual([]);
  });

  it('elements are split by the container element type: a green route handler does not reach a listener loop', () => {
    const a = analyze({
      'main.ts': `
import { sleep, spawn } from 'greenlets';
type Route = (req: string) => string;
const routes = new Map<string, Route>();
routes.set('/flush', () => { sleep(0); return 'flushed'; });
export class Store {
  private listeners: Array<(r: number) => void> = [];
  onPut(l: (r: number) => void) { this.listeners.push(l); }
  put(r: number) { for (const l of this.listeners) l(r); }
}
export function serve(path: string) { return routes.get(path)?.(path) ?? '404'; }
export function background() { return spawn(() => sleep(1)); }
const all: Array<(req: string) => unknown> = [...routes.values()];
export function runAll() { for (const f of all) f('x'); }
`,
    });
    // `() => string` is a valid (r: number) => void, but it was stored as a Route, whose field cannot alias the
    // listeners' (r: number) => void
    expect(a.green('main.ts')).not.toContain('Store.put');
    expect(a.call('main.ts', 'l(r)')).toBe('plain');
    expect(a.green('main.ts')).toEqual(expect.arrayContaining(['serve', 'runAll']));
    // spawn keeps its function only to call it: nothing of it reaches the containers
    expect(a.call('main.ts', "f('x')")).toEqual({ kind: 'dynamic' });
  });

  it('function types: thunks of one type do not reach callers of another type', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const tasks: Array<() => void> = [() => sleep(1)];
const mappers: Array<(n: number) => number> = [(n) => n + 1, (n) => n * 2];
export function runTasks() { for (const t of tasks) t(); }
export function mapAll(x: number) { let v = x; for (const m of mappers) v = m(v); return v; }
export function viaMap(xs: number[]) { return mappers.map((m) => xs.map(m)); }
`,
    });
    expect(a.green('main.ts')).toEqual([`<arrow function at ${a.at('main.ts', '() => sleep(1)')}>`, 'runTasks']);
    expect(a.call('main.ts', 'm(v)')).toBe('plain');
  });

  it('computed-key dispatch and computed writes reach the handlers', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function slowA(x: number) { sleep(x); return x; }
const handlers: Record<string, (x: number) => number> = { a: slowA, b: (x) => x };
export function run(name: string, x: number) { return handlers[name]!(x); }
const registry: { [k: string]: () => void } = {};
export function register(name: string, fn: () => void) { registry[name] = fn; }
register('tick', () => sleep(0));
export function tick() { registry.tick!(); }
export function all() { for (const h of Object.values(handlers)) h(1); }
`,
    });
    expect(a.green('main.ts')).toEqual(expect.arrayContaining(['run', 'slowA', 'tick', 'all']));
    expect(a.green('main.ts')).not.toContain('register');
    expect(a.call('main.ts', 'handlers[name]!(x)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'registry.tick!()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'h(1)')).toEqual({ kind: 'dynamic' });
  });

  it('generic higher-order functions: retry<T>(fn: () => T) is green when a green fn reaches it', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function retry<T>(times: number, fn: () => T): T {
  for (let i = 0; ; i++) { try { return fn(); } catch (e) { if (i >= times) throw e; } }
}
function memo<A, R>(fn: (a: A) => R): (a: A) => R {
  const cache = new Map<A, R>();
  return (a) => { if (!cache.has(a)) cache.set(a, fn(a)); return cache.get(a)!; };
}
const fetchLen = memo((u: string) => { sleep(0); return u.length; });
export function get(u: string) { return retry(3, () => fetchLen(u)); }
export function plain() { return retry(1, () => 42); }
`,
    });
    expect(a.green('main.ts')).toEqual(
      expect.arrayContaining(['retry', 'get', `<arrow function at ${a.at('main.ts', '(a) => {')}>`, `<arrow function at ${a.at('main.ts', '() => fetchLen(u)')}>`]),
    );
    // retry blocks only when given a green function: a caller passing a plain one stays plain
    expect(a.green('main.ts')).not.toContain('plain');
    expect(a.green('main.ts')).not.toContain('memo');
    expect(a.call('main.ts', 'fn()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'fetchLen(u)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'retry(1, () => 42)')).toBe('plain');
  });

  it('a method rebound in the constructor (this.m = this.m.bind(this)) is called dynamically', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export class Conn {
  constructor() { this.onData = this.onData.bind(this); }
  onData(s: string) { sleep(0); console.log(s); }
  pump(xs: string[]) { for (const x of xs) this.onData(x); }
}
`,
    });
    expect(a.green('main.ts')).toEqual(['Conn.onData', 'Conn.pump']);
    expect(a.call('main.ts', 'this.onData(x)')).toEqual({ kind: 'dynamic' });
    // in plain code (a constructor), so not in `calls`, but the emitter must keep the green form
    expect([...(a.file('main.ts').bindCalls ?? [])].map((c) => c.getText())).toEqual(['this.onData.bind(this)']);
  });

  it('storing green functions in containers is not passing a callback', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const routes = new Map<string, () => void>();
const list: Array<() => void> = [];
routes.set('/slow', () => sleep(1));
list.push(() => sleep(2));
export function go() { routes.get('/slow')?.(); list[0]!(); }
`,
    });
    expect(a.diagnostics()).toEqual([]);
    expect(a.green('main.ts')).toContain('go');
  });
});

describe('fraction of functions made green on realistic programs', () => {
  const corpus = path.join(repoRoot, 'fixtures/programs');
  const names = fs.readdirSync(corpus).filter((f) => f.endsWith('.ts')).sort();

  it('the differential corpus (interpreter, JSON parser, adventure, …): nothing blocks, nothing is green', () => {
    const files = Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(corpus, n), 'utf8')]));
    const a = analyze(files, { compilerOptions: { strict: false }, allowTypeErrors: true });
    expect(a.analysis.greenFraction()).toBe(0);
    for (const n of names) {
      expect(a.green(n), n).toEqual([]);
      expect(a.file(n).calls.size, n).toBe(0);
      expect(a.diagnostics(n), n).toEqual([]);
    }
  });

  it('a blocking crawler: exactly the functions that reach a blocking call', () => {
    const src = fs.readFileSync(path.join(repoRoot, 'fixtures/analysis/programs/crawler.ts'), 'utf8');
    const a = analyze({ 'crawler.ts': src }, { greenlets: 'real' });
    const arrow = (text: string) => `<arrow function at ${a.at('crawler.ts', text)}>`;
    expect(a.green('crawler.ts')).toEqual(
      [
        'Limiter.run',
        'fetchPage',
        arrow('() => {\n    sleep(latencyOf(url));'),
        'fetchWithRetry',
        arrow("(page) => {\n  // Images"),
        'handle',
        'Frontier.add',
        'Frontier.next',
        'Frontier.stop',
        'worker',
        'crawl',
      ].sort(),
    );
    expect(a.file('crawler.ts').topLevelBlocks).toBe(true);
    // the plain validators iterated inside the green worker stay plain calls
    expect(a.call('crawler.ts', 'check(page)')).toBe('plain');
    expect(a.call('crawler.ts', 'h(page)')).toEqual({ kind: 'dynamic' });
    expect(a.diagnostics()).toEqual([]);
    expect(a.analysis.greenFraction()).toBeCloseTo(11 / 39, 5);
  });
});

describe('calls the analysis resolves lazily (member-names.ts)', () => {
  it('methods of untransformed code are resolved when a green function is passed to them, renamed roots always', () => {
    const a = analyze({
      'lib.ts': `export { sleep as nap } from 'greenlets';`,
      'main.ts': `
import { EventEmitter } from 'node:events';
import * as lib from './lib.js';
import { sleep } from 'greenlets';
export function go(em: EventEmitter, s: string) {
  lib.nap(0);
  em.once('x', () => sleep(0));
  console.log(s.toUpperCase());
  return s.padEnd(3);
}
`,
    });
    expect(a.green('main.ts')).toContain('go');
    expect(a.call('main.ts', 'lib.nap(0)')).toMatchObject({ kind: 'green' });
    expect(a.call('main.ts', 's.padEnd(3)')).toBe('plain');
    expect(a.codes('main.ts')).toEqual(['GL1002 7:16']);
    expect([...a.file('main.ts').spawnAdapted].map((e) => e.getText())).toEqual(['() => sleep(0)']);
  });

  it('members named by computed keys: literal names count, unknown ones make every call resolved', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const KEY = 'later';
export class C {
  ['report']() { sleep(0); return 1; }
  [KEY]() { sleep(0); return 2; }
}
export function go(c: C) { return c.report() + c.later(); }
`,
    });
    expect(a.call('main.ts', 'c.report()')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 'c.later()')).toEqual({ kind: 'green' });
  });
});
