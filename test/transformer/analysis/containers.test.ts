/**
 * Code that cannot be made green but would call green code (design.md §4): each gets an error naming the
 * construct, what it calls and where, and the fix. Code around them that only passes green functions on (to
 * spawn, to a green method) is fine. And GL3001: thread-blocking calls in green code while their patch is off.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('constructs that cannot suspend', () => {
  const a = analyze({
    'main.ts': `
import { sleep, spawn } from 'greenlets';
function fetchIt(): string { sleep(0.1); return 'x'; }
export class Account {
  balance = fetchIt();
  static defaults = fetchIt();
  static { fetchIt(); }
  constructor(public id: string) { fetchIt(); }
  get remote() { return fetchIt(); }
  set remote(v: string) { fetchIt(); console.log(v); }
  #secret() { return fetchIt(); }
  reveal() { return this.#secret(); }
  later() { return spawn(() => fetchIt()); }
}
export async function asyncWork() { return fetchIt(); }
export const asyncArrow = async () => fetchIt();
export function* gen() { yield fetchIt(); }
export function withDefault({ x = fetchIt() }: { x?: string } = {}) { return x; }
export async function fine() { const g = spawn(fetchIt); return await g; }
`,
  });
  const byCode = (code: string) => a.diagnostics('main.ts').filter((d) => d.code === code);

  it('each construct gets its own error, at the call, naming the construct and the fix', () => {
    expect(a.codes('main.ts')).toEqual([
      'GL1013 5:13',
      'GL1013 6:21',
      'GL1016 7:12',
      'GL1012 8:36',
      'GL1010 9:25',
      'GL1011 10:27',
      'GL1014 15:44',
      'GL1014 16:39',
      'GL1015 17:32',
      'GL1017 18:35',
    ]);
    for (const d of a.diagnostics('main.ts')) expect(d.category).toBe('error');
    expect(byCode('GL1013')[0]!.message).toMatch(/^the initialiser of field Account\.balance would block: it calls fetchIt \(.*main\.ts:5:13\).*Fix: assign the field from a green method or a green static factory\.$/);
    expect(byCode('GL1016')[0]!.message).toMatch(/^the static block of class Account would block: it calls fetchIt .*Fix: move the blocking code to the module's top level/);
    expect(byCode('GL1012')[0]!.message).toMatch(/^the constructor of Account would block: it calls fetchIt .*green static factory \(`static create\(\.\.\.\) \{ const x = new Account\(\.\.\.\)/);
    expect(byCode('GL1010')[0]!.message).toMatch(/^getter remote would block: it calls fetchIt .*Fix: make it a method \(`getRemote\(\)`\)/);
    expect(byCode('GL1011')[0]!.message).toMatch(/^setter remote would block: .*Fix: make it a method \(`setRemote\(value\)`\)/);
    expect(byCode('GL1014')[0]!.message).toMatch(/^async function asyncWork calls green function fetchIt .*`await spawn\(\(\) => fetchIt\(\.\.\.\)\)`/);
    expect(byCode('GL1014')[1]!.message).toMatch(/^async function asyncArrow calls/);
    expect(byCode('GL1015')[0]!.message).toMatch(/^generator function gen calls green function fetchIt .*greenlets Queue/);
    expect(byCode('GL1017')[0]!.message).toMatch(/^the default value in a destructured parameter of withDefault would block: .*a destructured parameter's defaults cannot suspend\. Fix: take the parameter whole/);
  });

  it('none of them is made green; the methods around them are, or stay plain', () => {
    // #secret blocks and is green (a #private method gets its generator beside it), so reveal, which calls it,
    // is green too; `later` only spawns a green arrow, and `fine` awaits a greenlet — both fine as they are
    expect(a.green('main.ts')).toEqual([`<arrow function at ${a.at('main.ts', '() => fetchIt()')}>`, 'Account.#secret', 'Account.reveal', 'fetchIt']);
    expect(a.diagnostics('main.ts').some((d) => d.line === 13 || d.line === 19)).toBe(false);
  });

  it('defaults of plain-named parameters that block move into the green body, unless the body shadows a name they use', () => {
    const d = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
function fetchIt(): number { sleep(0.1); return 1; }
export function moved(x = fetchIt(), y = x + 1) { return x + y; }
export function shadowed(x = fetchIt()) { const fetchIt = () => 2; return x + fetchIt(); }
export function mixed([a] = [0], x = fetchIt()) { return a + x; }
export class K { constructor(x = fetchIt()) { console.log(x); } }
`,
    });
    expect(d.green('main.ts')).toEqual(['fetchIt', 'moved']);
    expect(d.codes('main.ts')).toEqual(['GL1017 5:30', 'GL1017 6:38', 'GL1017 7:34']);
    const [shadow, mixed, ctor] = d.diagnostics('main.ts').map((x) => x.message);
    expect(shadow).toMatch(/^the default value of parameter x would block: .*it cannot move into the body of shadowed, which declares a name the default uses\. Fix: default it in the body yourself \(`if \(x === undefined\) x = \.\.\.;`\)/);
    expect(mixed).toMatch(/a default that blocks moves into the body of mixed, which needs every parameter to be a plain name/);
    expect(ctor).toMatch(/the constructor of K cannot be green, so its defaults cannot suspend\. Fix: compute the value in green code before the call and pass it\.$/);
  });

  it('a script (no imports or exports, module detection finds no module) whose top level would block', () => {
    const s = analyze({
      'legacy/script.ts': `/** @blocking */\ndeclare function nap(seconds: number): void;\nnap(1);\n`,
    }, { compilerOptions: { module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler } });
    expect(s.codes('legacy/script.ts')).toEqual(['GL1019 3:1']);
    expect(s.diagnostics('legacy/script.ts')[0]!.message).toMatch(/^the top level of .*script\.ts would block: it calls nap .*Fix: make it a module \(add `export \{\};`\)/);
  });
});

describe('GL3001: calls that block the whole thread, in green code', () => {
  const src = `
import fs, { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { sleep } from 'greenlets';
export function green() {
  sleep(0);
  const a = fs.readFileSync('/etc/hostname', 'utf8');
  const b = readFileSync('/etc/hostname');
  const c = execSync('true');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  return [a, b, c];
}
export function plain() { return fs.readFileSync('/etc/hostname', 'utf8'); }
`;

  it('warns with the green alternative and the patch option', () => {
    const a = analyze({ 'main.ts': src });
    expect(a.codes('main.ts')).toEqual(['GL3001 7:13', 'GL3001 8:13', 'GL3001 9:13', 'GL3001 10:3']);
    const [fsd, named, cp, atomics] = a.diagnostics('main.ts');
    expect(fsd!.category).toBe('warning');
    expect(fsd!.message).toBe(
      "fs.readFileSync blocks the whole thread (every greenlet) when called from green code. Fix: use greenlets/fs's readFileSync, or turn on the patch option (patch: { fs: true }) so the import points at the green module.",
    );
    expect(named!.message).toMatch(/^readFileSync blocks the whole thread/);
    expect(cp!.message).toMatch(/greenlets\/subprocess's execSync, or turn on the patch option \(patch: \{ childProcess: true \}\)/);
    expect(atomics!.message).toMatch(/^Atomics\.wait blocks the whole thread .*Fix: use waitFor\(Atomics\.waitAsync/);
  });

  it('is quiet in plain code and for what the patch option covers', () => {
    expect(analyze({ 'main.ts': src }, { patch: { fs: true } }).codes('main.ts')).toEqual(['GL3001 9:13', 'GL3001 10:3']);
    expect(analyze({ 'main.ts': src }, { patch: true }).codes('main.ts')).toEqual(['GL3001 10:3']);
  });
});
