/** The fixed point over every kind of function and every way the checker resolves a callee (issue 3, Analysis). */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('function kinds', () => {
  it('function expressions, named and immediately invoked; arrows and methods of object literals; nested functions', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const expr = function () { sleep(0); };
const named = function inner(n: number): number { if (n > 0) return inner(n - 1); sleep(0); return 0; };
export function iife() { (function () { sleep(0); })(); }
const api = {
  arrow: () => { sleep(0); },
  method(x: number) { sleep(x); },
  plain() { return 1; },
};
export function useApi() { api.arrow(); api.method(1); return api.plain(); }
export function outer() {
  function nested() { sleep(0); }
  const later = () => nested();
  return later;
}
export function callExpr() { expr(); return named(2); }
`,
    });
    expect(a.green('main.ts')).toEqual(
      [
        'api.arrow'.replace('api.', ''),
        `<function at ${a.at('main.ts', 'function () { sleep(0); })()')}>`,
        'callExpr',
        'expr',
        'iife',
        'inner',
        'later',
        'method',
        'nested',
        'useApi',
      ].sort(),
    );
    // `outer` only returns the green arrow: it does not call it
    expect(a.green('main.ts')).not.toContain('outer');
    expect(a.call('main.ts', 'api.plain()')).toBe('plain');
    expect(a.call('main.ts', 'api.method(1)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'expr()')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 'inner(n - 1)')).toEqual({ kind: 'green' });
  });

  it('class members: methods, static methods, arrow fields, class expressions', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export class Svc {
  static make() { sleep(0); return new Svc(); }
  onTick = () => { sleep(0); };
  run() { this.onTick(); }
  idle() { return 0; }
}
export const Anon = class {
  go() { sleep(1); }
};
export function main() { const s = Svc.make(); s.run(); new Anon().go(); return s.idle(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['Svc.make', 'Svc.onTick', 'Svc.run', 'class.go', 'main'].sort());
    expect(a.call('main.ts', 'Svc.make()')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 's.idle()')).toBe('plain');
  });

  it('overloaded methods and overloaded functions across files', () => {
    const a = analyze({
      'lib.ts': `
import { sleep } from 'greenlets';
export function read(n: number): number;
export function read(s: string): string;
export function read(x: number | string): number | string { sleep(0); return x; }
export class Box {
  get(k: 'a'): number;
  get(k: 'b'): string;
  get(k: string): number | string { sleep(0); return k === 'a' ? 1 : 'b'; }
}
`,
      'main.ts': `
import { read, Box } from './lib.js';
export function useRead() { return read(1) + read('x').length; }
export function useBox(b: Box) { return b.get('a'); }
`,
    });
    expect(a.green('main.ts')).toEqual(['useBox', 'useRead']);
    expect(a.call('main.ts', 'read(1)')).toMatchObject({ kind: 'green' });
    expect(a.call('main.ts', "b.get('a')")).toEqual({ kind: 'green' });
  });
});

describe('module structure: re-exports and default exports', () => {
  it('export { f as g } from, export * from, export * as ns from, export default of a const, a class, an identifier', () => {
    const a = analyze({
      'a.ts': `
import { sleep } from 'greenlets';
export function f() { sleep(0); }
export const h = () => { sleep(0); };
export class Worker { work() { sleep(0); } }
const slowest = () => { sleep(9); };
export default slowest;
`,
      'b.ts': `export { f as g, default as slowestAlias } from './a.js';\nexport * from './a.js';\nexport * as ns from './a.js';`,
      'c.ts': `import { Worker } from './a.js';\nexport default new Worker();`,
      'main.ts': `
import { g, h, slowestAlias, ns, Worker } from './b.js';
import worker from './c.js';
export function viaAlias() { g(); }
export function viaStar() { h(); }
export function viaNs() { ns.f(); }
export function viaDefaultIdent() { slowestAlias(); }
export function viaDefaultInstance() { worker.work(); }
export function viaClass(w: Worker) { w.work(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['viaAlias', 'viaClass', 'viaDefaultIdent', 'viaDefaultInstance', 'viaNs', 'viaStar']);
    expect(a.call('main.ts', 'g()')).toMatchObject({ kind: 'green' });
    expect(a.call('main.ts', 'ns.f()')).toMatchObject({ kind: 'green' });
    expect(a.call('main.ts', 'h()')).toEqual({ kind: 'green' });
    // `export default slowest` re-exports the const itself: one fixed function
    expect(a.call('main.ts', 'slowestAlias()')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 'worker.work()')).toEqual({ kind: 'green' });
  });
});

describe('class hierarchies and interfaces', () => {
  it('a call through a base-class type reaches an override two levels down, arrow-field overrides included', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export class Base { handle(x: number): number { return x; } close(): void {} }
export class Mid extends Base {}
export class Leaf extends Mid { override handle(x: number) { sleep(x); return x; } }
export class Arrowy extends Base { override close = () => { sleep(0); }; }
export function viaBase(b: Base) { return b.handle(1); }
export function viaMid(m: Mid) { return m.handle(1); }
export function closeIt(b: Base) { b.close(); }
export function plainOnly(b: Base) { return b instanceof Leaf ? 0 : 1; }
`,
    });
    expect(a.green('main.ts')).toEqual(['Arrowy.close', 'Leaf.handle', 'closeIt', 'viaBase', 'viaMid']);
    expect(a.call('main.ts', 'b.handle(1)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'b.close()')).toEqual({ kind: 'dynamic' });
  });

  it('abstract methods: the base class calls this.step(), implemented green in a subclass', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export abstract class Job {
  abstract step(i: number): boolean;
  runAll() { for (let i = 0; this.step(i); i++); }
}
export class Slow extends Job { step(i: number) { sleep(0); return i < 3; } }
export class Fast extends Job { step(i: number) { return i < 3; } }
export function start(j: Job) { j.runAll(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['Job.runAll', 'Slow.step', 'start']);
    // Fast.step is plain: the call through the abstract method tests [GREEN] at run time
    expect(a.call('main.ts', 'this.step(i)')).toEqual({ kind: 'dynamic' });
  });

  it('static methods overridden in a subclass, reached through this in a static method', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export class Model {
  static load(): string { return 'none'; }
  static refresh() { return this.load(); }
}
export class Remote extends Model { static override load() { sleep(0); return 'remote'; } }
`,
    });
    expect(a.green('main.ts')).toEqual(['Model.refresh', 'Remote.load']);
    expect(a.call('main.ts', 'this.load()')).toEqual({ kind: 'dynamic' });
  });

  it('interface implementations, generic ones included, through the interface type', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
interface Store<T> { get(id: number): T | undefined; put(id: number, v: T): void }
class MemStore<T> implements Store<T> {
  private m = new Map<number, T>();
  get(id: number) { return this.m.get(id); }
  put(id: number, v: T) { this.m.set(id, v); }
}
class RemoteStore<T> implements Store<T> {
  get(id: number): T | undefined { sleep(0.01); return undefined; }
  put(_id: number, _v: T) {}
}
export function read(s: Store<string>, id: number) { return s.get(id); }
export function write(s: Store<string>, id: number) { s.put(id, 'x'); }
export const stores: Array<Store<string>> = [new MemStore<string>(), new RemoteStore<string>()];
`,
    });
    expect(a.green('main.ts')).toEqual(['RemoteStore.get', 'read']);
    expect(a.call('main.ts', 's.get(id)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', "s.put(id, 'x')")).toBe('plain');
  });
});
