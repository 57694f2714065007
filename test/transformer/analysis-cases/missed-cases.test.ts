/**
 * Constructs the analysis used to miss (issue 3): blocking calls in defaults inside destructured parameters,
 * `new F()` of a green function, a built-in through a const alias (`const from = Array.from`), green
 * object-literal methods handed to untransformed code, and `f.bind(obj)` not greening unrelated binds.
 * Each is checked in the analysis and, where it runs, by running what the transform emits.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/helpers.js';
import { buildAndRun } from './build-and-run.js';

const errors = (ds: { category: string }[]) => ds.filter((d) => d.category === 'error');

describe('defaults inside destructured parameters', () => {
  const src = `
import { sleep } from 'greenlets';
export function withDefault({ a = sleep(0.01) ?? 1 }: { a?: number } = {}) { return a; }
export function noOuterDefault({ a = sleep(0.01) ?? 1 }: { a?: number }) { return a; }
export function nested([x, { y = sleep(0) ?? 2 }]: [number, { y?: number }]) { return x + y; }
export function plainDefaults({ a = 1, b = [a] }: { a?: number; b?: number[] } = {}) { return b; }
`;
  it('are default values (GL1017, naming the function), with or without a default for the whole parameter', () => {
    const a = analyze({ 'main.ts': src });
    expect(a.codes('main.ts')).toEqual(['GL1017 3:35', 'GL1017 4:38', 'GL1017 5:34']);
    const d = a.diagnostics('main.ts');
    expect(d[0]!.message).toMatch(/^the default value in a destructured parameter of withDefault would block: it calls sleep/);
    expect(d[0]!.message).toMatch(/Fix: take the parameter whole and destructure it in the body/);
    expect(d.map((x) => x.message).join('\n')).not.toMatch(/parameter parameter/);
    // the functions themselves do not block (their bodies do not): they stay plain
    expect(a.green('main.ts')).toEqual([]);
  });

  it('a blocking default of a plain-named parameter moves into the body: no diagnostic, the function is green', () => {
    const a = analyze({ 'main.ts': `import { sleep } from 'greenlets';\nexport function f(x = sleep(0) ?? 1) { return x; }\n` });
    expect(a.diagnostics('main.ts')).toEqual([]);
    expect(a.green('main.ts')).toEqual(['f']);
  });
});

describe('new F() of a green function', () => {
  const src = `
import { sleep } from '\${RT}';
function Point(this: { x: number }, x: number) { sleep(0.001); this.x = x; }
function Plain(this: { x: number }, x: number) { this.x = x; }
const p = new (Plain as any)(2);
console.log(p.x);
export function make() { return new (Point as any)(1); }
`;
  it('is reported with GL1020 (a construct call cannot suspend); constructing a plain function is fine', () => {
    const a = analyze({ 'main.ts': src.replace('${RT}', 'greenlets') });
    expect(a.codes('main.ts')).toEqual(['GL1020 7:33']);
    expect(a.diagnostics('main.ts')[0]!.message).toMatch(/^`new Point\(\.\.\.\)` constructs with green function Point: .*Fix: make it a class/);
    // a warning: a function that does not block when constructed (it tests new.target) is valid code
    expect(a.diagnostics('main.ts')[0]!.category).toBe('warning');
  });
});

describe('const from = Array.from', () => {
  const src = `
import { spawn, sleep, iwait } from '\${RT}';
const from = Array.from;
const gs = [spawn(() => { sleep(0.03); return 'slow'; }), spawn(() => { sleep(0.01); return 'fast'; })];
export function collect() { return from(iwait(gs)).map((g) => g.get()); }
console.log(collect().join(' '));
`;
  it('is the built-in: a green Array.from over the blocking iterable', () => {
    const a = analyze({ 'main.ts': src.replace('${RT}', 'greenlets') });
    expect(a.call('main.ts', 'from(iwait(gs))')).toEqual({ kind: 'green', builtin: 'Array.from' });
    expect(a.diagnostics()).toEqual([]);
  });

  it('runs: iwait yields the greenlets as they finish', () => {
    const r = buildAndRun({ 'main.ts': src.replace('${RT}', 'greenlets') });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.js.main).toContain('__gl.builtins["Array.from"].call(Array, ');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('fast slow\n');
  });
});

describe('green object-literal methods passed to untransformed code', () => {
  const src = `
import { EventEmitter } from 'node:events';
import { sleep } from '\${RT}';
const handlers = {
  onData(x: string) { sleep(0.001); console.log('got', x); },
  order(a: number, b: number) { sleep(0); return a - b; },
};
const em = new EventEmitter();
em.on('data', handlers.onData);
em.emit('data', 'one');
console.log('emitted');
sleep(0.02);
export function sorted(xs: number[]) { return [...xs].sort(handlers.order); }
`;
  it('void callbacks are spawned per call (GL1002); result callbacks are an error (GL1001)', () => {
    const a = analyze({ 'main.ts': src.replace('${RT}', 'greenlets') });
    expect(a.codes('main.ts')).toEqual(['GL1002 9:15', 'GL1001 13:60']);
  });

  it('runs: the handler runs in its own greenlet after the emitter returns', () => {
    const r = buildAndRun({ 'main.ts': src.replace('${RT}', 'greenlets').replace(/export function sorted[^\n]*\n/, '') });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('emitted\ngot one\n');
  });
});

describe('bind', () => {
  const src = `
import { sleep } from '\${RT}';
function slow(this: { n: number }) { sleep(0.001); return this.n; }
function fast(this: { n: number }) { return this.n * 10; }
const obj = { n: 2 };
const boundSlow = slow.bind(obj);
const boundFast = fast.bind(obj);
const viaMap = [1, 2].map(fast.bind({ n: 3 }));
export function useSlow() { return boundSlow(); }
export function useFast() { return boundFast() + viaMap.length; }
console.log(useSlow(), useFast());
`;
  it('a green function bound keeps its green form; binding plain functions stays plain code', () => {
    const a = analyze({ 'main.ts': src.replace('${RT}', 'greenlets') });
    expect([...(a.file('main.ts').bindCalls ?? [])].map((c) => c.getText())).toEqual(['slow.bind(obj)']);
    expect(a.green('main.ts')).toEqual(['slow', 'useSlow']);
    expect(a.call('main.ts', 'boundFast()')).toBe('plain');
  });

  it('runs', () => {
    const r = buildAndRun({ 'main.ts': src.replace('${RT}', 'greenlets') });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.js.main).toContain('boundFast = fast.bind(obj)');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2 22\n');
  });
});
