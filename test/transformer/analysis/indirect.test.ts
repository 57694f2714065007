/** Indirect calls: green function values flowing through variables, properties, arrays, Maps, parameters. */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('indirect calls (flow of function values)', () => {
  it('routes.get(path)!(req): handlers stored in a Map', () => {
    const a = analyze({
      'server.ts': `
import { sleep } from 'greenlets';
type Handler = (req: string) => string;
const routes = new Map<string, Handler>();
routes.set('/slow', (req) => { sleep(1); return req; });
routes.set('/fast', (req) => req);
export function handle(path: string, req: string) { return routes.get(path)!(req); }
`,
    });
    expect(a.green('server.ts')).toContain('handle');
    expect(a.call('server.ts', 'routes.get(path)!(req)')).toEqual({ kind: 'dynamic' });
    // routes.get itself is an ordinary call
    expect(a.call('server.ts', 'routes.get(path)')).toBe('plain');
  });

  it('const fns = [() => fetchA(), () => fetchB()]; fns.map(f => f())', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function fetchA() { sleep(1); return 'a'; }
function fetchB() { return 'b'; }
export function all() {
  const fns = [() => fetchA(), () => fetchB()];
  return fns.map(f => f());
}
`,
    });
    expect(a.green('main.ts')).toContain('all');
    expect(a.call('main.ts', 'fns.map(f => f())')).toEqual({ kind: 'green', builtin: 'Array.prototype.map' });
    expect(a.call('main.ts', 'f()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'fetchB()')).toBe('plain');
  });

  it('this.onMessage(msg): a handler passed to the constructor and stored in a field', () => {
    const a = analyze({
      'conn.ts': `
export class Conn {
  constructor(private onMessage: (msg: string) => void) {}
  loop(msgs: string[]) { for (const m of msgs) this.onMessage(m); }
}
`,
      'main.ts': `
import { sleep } from 'greenlets';
import { Conn } from './conn.js';
export const c = new Conn((msg) => { sleep(0); console.log(msg); });
`,
    });
    expect(a.green('conn.ts')).toEqual(['Conn.loop']);
    expect(a.call('conn.ts', 'this.onMessage(m)')).toEqual({ kind: 'dynamic' });
    // iterating a plain array stays plain even in green code
    expect(a.iteration('conn.ts', 'for (const m of msgs)')).toBe('plain');
  });

  it('values through variables, object properties, returns, parameters, destructuring', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const slow = () => { sleep(1); };
function pick() { return slow; }
export function viaReturn() { const f = pick(); f(); }
const table = { run: slow, other: () => 1 };
export function viaProp() { table.run(); }
export function viaOtherProp() { table.other(); }
function apply(fn: () => void) { fn(); }
export function viaParam() { apply(slow); }
export function viaDestructure() { const { run } = table; run(); }
let later: (() => void) | undefined;
export function assign() { later = slow; }
export function viaAssigned() { later?.(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['apply', 'slow', 'viaDestructure', 'viaAssigned', 'viaParam', 'viaProp', 'viaReturn'].sort());
    expect(a.call('main.ts', 'f()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'apply(slow)')).toMatchObject({ kind: 'green' });
    expect(a.call('main.ts', 'fn()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'later?.()')).toEqual({ kind: 'dynamic' });
  });

  it('a plain callback-taking function that never receives a green value stays plain (no Asyncify trap)', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function twice(fn: (n: number) => number, n: number) { return fn(fn(n)); }
export const r = twice((x) => x + 1, 2);
function each(xs: string[], fn: (s: string) => void) { for (const x of xs) fn(x); }
each(['a'], (s) => console.log(s));
// a green function of another type elsewhere in the program does not infect these
export function slowJob(name: string, ms: number): boolean { sleep(ms); return name.length > 0; }
const jobs: Array<(name: string, ms: number) => boolean> = [slowJob];
export function runJobs() { return jobs.every((j) => j('x', 1)); }
export function validators(x: number) {
  const checks = [(v: number) => v > 0, (v: number) => v < 10];
  return checks.every((c) => c(x));
}
`,
    });
    // the arrow of runJobs calls slowJob: green; nothing else is
    expect(a.green('main.ts')).toEqual([`<arrow function at ${a.at('main.ts', "(j) => j('x', 1)")}>`, 'runJobs', 'slowJob'].sort());
    expect(a.call('main.ts', 'fn(fn(n))')).toBe('plain');
    expect(a.call('main.ts', 'checks.every((c) => c(x))')).toBe('plain');
    expect(a.analysis.greenFraction()).toBeLessThan(0.5);
  });

  it('a call through `any` inside green code is dynamic, but does not make plain code green', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export function green(x: any) { sleep(0); x(); x.method(1); }
export function plain(x: any) { x(); }
export function untyped(f: Function) { sleep(0); f(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['green', 'untyped']);
    expect(a.call('main.ts', 'x()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'x.method(1)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'f()')).toEqual({ kind: 'dynamic' });
  });

  it('f.call / f.apply / f.bind of green functions', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function slow(this: unknown, n: number) { sleep(n); }
export function viaCall() { slow.call(null, 1); }
export function viaApply() { slow.apply(null, [1]); }
export function viaBind() { const b = slow.bind(null, 1); b(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['slow', 'viaApply', 'viaBind', 'viaCall']);
    expect(a.call('main.ts', 'slow.call(null, 1)')).toEqual({ kind: 'dynamic', builtin: 'Function.prototype.call' });
    expect(a.call('main.ts', 'slow.apply(null, [1])')).toEqual({ kind: 'dynamic', builtin: 'Function.prototype.apply' });
    expect(a.call('main.ts', 'b()')).toEqual({ kind: 'dynamic' });
    // the bind itself keeps the green form (a built-in of the runtime), in green and in plain code
    expect(a.call('main.ts', 'slow.bind(null, 1)')).toEqual({ kind: 'green', builtin: 'Function.prototype.bind' });
    expect([...(a.file('main.ts').bindCalls ?? [])].map((c) => c.getText())).toEqual(['slow.bind(null, 1)']);
  });

  it('higher-order built-ins with green callbacks get their green names', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function get(u: string) { sleep(0); return u.length; }
export function f(urls: string[], m: Map<string, number>, s: Set<string>, t: Uint8Array) {
  urls.forEach((u) => get(u));
  const lens = urls.map((u) => get(u));
  urls.filter((u) => get(u) > 1).some((u) => get(u) > 2);
  urls.reduce((acc, u) => acc + get(u), 0);
  m.forEach((v, k) => get(k));
  s.forEach((k) => get(k));
  Array.from(urls, (u) => get(u));
  t.map((b) => get(String(b)));
  urls.map((u) => u.length);
  urls.map(get);
  return lens;
}
`,
    });
    expect(a.call('main.ts', 'urls.forEach((u) => get(u))')).toEqual({ kind: 'green', builtin: 'Array.prototype.forEach' });
    expect(a.call('main.ts', 'urls.map((u) => get(u))')).toEqual({ kind: 'green', builtin: 'Array.prototype.map' });
    expect(a.call('main.ts', 'urls.filter((u) => get(u) > 1)')).toEqual({ kind: 'green', builtin: 'Array.prototype.filter' });
    expect(a.call('main.ts', 'urls.reduce((acc, u) => acc + get(u), 0)')).toEqual({ kind: 'green', builtin: 'Array.prototype.reduce' });
    expect(a.call('main.ts', 'm.forEach((v, k) => get(k))')).toEqual({ kind: 'green', builtin: 'Map.prototype.forEach' });
    expect(a.call('main.ts', 's.forEach((k) => get(k))')).toEqual({ kind: 'green', builtin: 'Set.prototype.forEach' });
    expect(a.call('main.ts', 'Array.from(urls, (u) => get(u))')).toEqual({ kind: 'green', builtin: 'Array.from' });
    expect(a.call('main.ts', 't.map((b) => get(String(b)))')).toEqual({ kind: 'green', builtin: 'TypedArray.prototype.map' });
    expect(a.call('main.ts', 'urls.map((u) => u.length)')).toBe('plain');
    expect(a.call('main.ts', 'urls.map(get)')).toEqual({ kind: 'dynamic', builtin: 'Array.prototype.map' });
  });

  it('new Map([[key, fn]]): a handler narrower than the Map\'s value type (it returns an enum member) is still read by get()', () => {
    // The tuple's element type is `string | ((n: number) => State.Open)`: neither it nor the Map's value type
    // `(n: number) => State` is assignable to the other as a whole; its function member is.
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
enum State { Open = 'open', Closed = 'closed' }
const handlers = new Map<string, (n: number) => State>([
  ['open', (n) => { sleep(n); return State.Open; }],
]);
export function step(k: string): State | undefined { return handlers.get(k)?.(1); }
`,
    });
    expect(a.green('main.ts')).toContain('step');
    expect(a.call('main.ts', 'handlers.get(k)?.(1)')).toEqual({ kind: 'dynamic' });
  });

  it('a namespace function called through the namespace object: a direct generator call only inside the namespace', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
namespace Wire {
  export function send(s: string): void { sleep(0); }
  export function twice(s: string): void { send(s); Wire.send(s); }
}
export function go(): void { Wire.send('a'); }
`,
    });
    const outside = a.call('main.ts', "Wire.send('a')");
    expect(outside).not.toBe('plain');
    // send$green is a name only inside the namespace's function: outside, the call goes through [GREEN].
    expect(outside).toEqual({ kind: 'green' });
    expect(a.call('main.ts', 'send(s)')).toMatchObject({ kind: 'green', direct: expect.anything() });
    expect(a.call('main.ts', 'Wire.send(s)')).toMatchObject({ kind: 'green', direct: expect.anything() });
  });

  it('a function returned by a spawned function is called through g.value / g.get() / a pool greenlet', () => {
    const a = analyze(
      {
        'main.ts': `
import { sleep, spawn } from 'greenlets';
import { Pool } from 'greenlets/pool';
function makeChecker(n: number): () => string { return () => { sleep(n); return String(n); }; }
export function viaValue(): string { const g = spawn(() => makeChecker(1)); g.join(); return g.value!(); }
export function viaGet(): string { return spawn(makeChecker, 2).get()(); }
export function viaPool(p: Pool): string { return p.spawn(() => makeChecker(3)).get()(); }
export function plainValue(): number | undefined { return spawn(() => 4).value; }
`,
      },
      { greenlets: 'real' },
    );
    expect(a.call('main.ts', 'g.value!()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'spawn(makeChecker, 2).get()()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'p.spawn(() => makeChecker(3)).get()()')).toEqual({ kind: 'dynamic' });
    expect(a.green('main.ts')).not.toContain('plainValue');
    expect(a.diagnostics('main.ts')).toEqual([]);
  });
});
