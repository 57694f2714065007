/** Roots and propagation through direct calls: functions, methods, overloads, re-exports, default exports. */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('roots and propagation', () => {
  it('a function calling a @blocking const is green; its callers are green; plain code is not', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export function nap() { sleep(0.1); }
export function outer() { nap(); return 1; }
export function plain(x: number) { return x * 2; }
const arrow = () => outer();
export function viaArrow() { arrow(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['arrow', 'nap', 'outer', 'viaArrow']);
    expect(a.call('main.ts', 'sleep(0.1)')).toEqual({ kind: 'green' });
    const outerCall = a.call('main.ts', 'nap()');
    expect(outerCall).toMatchObject({ kind: 'green' });
    expect((outerCall as { direct?: { name?: { text: string } } }).direct?.name?.text).toBe('nap');
    // a const arrow is one fixed function: green, but not a declaration the emitter can call directly
    expect(a.call('main.ts', 'arrow()')).toEqual({ kind: 'green' });
    expect(a.file('main.ts').topLevelBlocks).toBe(false);
    expect(a.analysis.greenFraction()).toBeCloseTo(4 / 5);
  });

  it('methods declared `@blocking` on classes (Greenlet.join, Event.wait) and interfaces (dynamic)', () => {
    const a = analyze({
      'main.ts': `
import { spawn, Event, type Conn } from 'greenlets';
export function joinIt() { const g = spawn(() => 1); g.join(); return g.ready(); }
export function waitIt(e: Event) { return e.wait(1); }
export function recvIt(c: Conn) { return c.recv(10); }
export function readyOnly() { return spawn(() => 2).ready(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['joinIt', 'recvIt', 'waitIt']);
    expect(a.call('main.ts', 'g.join()')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 'g.ready()')).toBe('plain');
    expect(a.call('main.ts', 'e.wait(1)')).toEqual({ kind: 'green' });
    // an interface member: whatever implements it may be plain, so test [GREEN] at run time
    expect(a.call('main.ts', 'c.recv(10)')).toEqual({ kind: 'dynamic' });
  });

  it('follows named re-exports, export *, default exports and namespace imports', () => {
    const a = analyze({
      'a.ts': `
import { sleep } from 'greenlets';
export default function fetchA() { sleep(1); return 'a'; }
export const fetchB = () => { sleep(1); return 'b'; };
export function pure() { return 'p'; }
`,
      'b.ts': `export { default as fa, fetchB } from './a.js';\nexport * from './a.js';`,
      'c.ts': `
import fetchA from './a.js';
import { fa, fetchB as fb, pure } from './b.js';
import * as ns from './a.js';
export function one() { return fetchA(); }
export function two() { return fa(); }
export function three() { return fb(); }
export function four() { return ns.fetchB(); }
export function five() { return pure(); }
`,
    });
    expect(a.green('a.ts')).toEqual(['fetchA', 'fetchB']);
    expect(a.green('c.ts')).toEqual(['four', 'one', 'three', 'two']);
    expect(a.call('c.ts', 'fetchA()')).toMatchObject({ kind: 'green' });
    expect(a.call('c.ts', 'fa()')).toMatchObject({ kind: 'green' });
    expect(a.call('c.ts', 'pure()')).toBe('plain');
  });

  it('default-exported arrows and anonymous functions', () => {
    const a = analyze({
      'a.ts': `import { sleep } from 'greenlets';\nexport default () => { sleep(1); };`,
      'b.ts': `import { sleep } from 'greenlets';\nexport default function () { sleep(1); }`,
      'c.ts': `import x from './a.js';\nimport y from './b.js';\nexport function useX() { x(); }\nexport function useY() { y(); }`,
    });
    expect(a.green('c.ts')).toEqual(['useX', 'useY']);
    // a default export of a function expression is one fixed function
    expect(a.call('c.ts', 'x()')).toEqual({ kind: 'green' });
    expect(a.call('c.ts', 'y()')).toMatchObject({ kind: 'green' });
  });

  it('overloads resolve to the implementation', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function fetch(x: string): string;
function fetch(x: number): number;
function fetch(x: string | number) { sleep(0); return x; }
export function use() { return fetch('a'); }
`,
    });
    expect(a.green('main.ts')).toEqual(['fetch', 'use']);
    expect(a.call('main.ts', "fetch('a')")).toMatchObject({ kind: 'green' });
  });

  it('class hierarchies: a call through a base method is dynamic when an override is green', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export class Base { run(): number { return 1; } stop(): void {} }
export class Slow extends Base { override run() { sleep(1); return 2; } }
export class Both { go() { sleep(1); } }
export class Both2 extends Both { override go() { sleep(2); } }
export function viaBase(b: Base) { return b.run(); }
export function viaSlow(s: Slow) { return s.run(); }
export function stopIt(b: Base) { b.stop(); }
export function viaBoth(b: Both) { b.go(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['Both.go', 'Both2.go', 'Slow.run', 'viaBase', 'viaBoth', 'viaSlow']);
    expect(a.call('main.ts', 'b.run()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 's.run()')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 'b.go()')).toEqual({ kind: 'green' });
  });

  it('interface dispatch: classes implementing it and object literals typed by it', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
interface Handler { handle(x: number): void }
class Quick implements Handler { handle(x: number) { console.log(x); } }
const slow: Handler = { handle(x: number) { sleep(x); } };
export function dispatch(h: Handler) { h.handle(1); }
export const hs: Handler[] = [new Quick(), slow];
interface Other { handle(x: string, y: string): string }
export function other(o: Other) { return o.handle('a', 'b'); }
`,
    });
    expect(a.green('main.ts')).toEqual(['dispatch', 'handle']);
    expect(a.call('main.ts', 'h.handle(1)')).toEqual({ kind: 'dynamic' });
    // the field-based flow merges every `handle`, but the types say this one cannot be the green one
    expect(a.call('main.ts', "o.handle('a', 'b')")).toBe('plain');
  });

  it('super calls and getters used as values', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
class A { work() { sleep(1); } }
class B extends A { override work() { super.work(); } }
export function go() { new B().work(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['A.work', 'B.work', 'go']);
    expect(a.call('main.ts', 'super.work()')).toEqual({ kind: 'green' });
  });

  it('module top level that blocks', () => {
    const a = analyze({
      'main.ts': `import { sleep } from 'greenlets';\nconsole.log('a');\nsleep(1);\nexport {};`,
      'lib.ts': `export function f() { return 1; }\nf();`,
    });
    expect(a.file('main.ts').topLevelBlocks).toBe(true);
    expect(a.call('main.ts', 'sleep(1)')).toEqual({ kind: 'green' });
    expect(a.call('main.ts', "console.log('a')")).toBe('plain');
    expect(a.file('lib.ts').topLevelBlocks).toBe(false);
  });

  it('an own declaration tagged @blocking is a root', () => {
    const a = analyze({
      'main.ts': `
/** @blocking */
export function primitive() { return 1; }
export function user() { return primitive(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['primitive', 'user']);
    expect(a.analysis.explain(a.fn('main.ts', 'primitive') as never)).toEqual(['primitive is declared @blocking (a root)']);
  });

  it('explain: the chain of reasons ends at a root', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function a1() { sleep(1); }
function b1() { a1(); }
export function c1() { b1(); }
export function p1() { return 1; }
`,
    });
    const lines = a.analysis.explain(a.fn('main.ts', 'c1') as never);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^c1 calls b1 at .*main\.ts:5:24$/);
    expect(lines[1]).toMatch(/^b1 calls a1 at .*main\.ts:4:17$/);
    expect(lines[2]).toMatch(/^a1 calls sleep at .*main\.ts:3:17$/);
    expect(lines[3]).toMatch(/^sleep is a blocking primitive \(@blocking, declared at .*greenlets\/index\.d\.ts:\d+:\d+\)$/);
    expect(a.analysis.explain(a.fn('main.ts', 'p1') as never)).toEqual(['p1 is not green: nothing it calls or iterates can block']);
  });
});
