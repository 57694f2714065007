/**
 * Greenness carried across packages (design.md §2): a library compiled by greenlets (createProjectTransformer +
 * emit) tags its green exports in the emitted .d.ts — `@blocking` for functions, consts, methods and arrow
 * fields that may block, `@blocking fn` for higher-order functions that block only through the callbacks they
 * are given — and a consumer that sees only the library's .js + .d.ts reaches the same decisions as if the
 * library were part of its own program. Then both run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import { createProjectTransformer } from '../../../src/transformer/index.js';
import { analyze, repoRoot } from './helpers.js';

const LIB = `
import { sleep } from 'greenlets';
export function fetchData(id: number): string { sleep(0.001); return 'd' + id; }
export const fetchConst = (id: number): number => { sleep(0); return id * 10; };
/** Call fn up to \`times\` times until it does not throw. */
export function retry<T>(fn: () => T, times: number): T {
  for (let i = 1; ; i++) {
    try { return fn(); } catch (e) { if (i >= times) throw e; }
  }
}
export function onEach(xs: number[], fn: (x: number) => void): void { xs.forEach(fn); }
export function pure(x: number): number { return x * 2; }
export class Client {
  get(id: number): number { sleep(0); return id + 1; }
  handler = (s: string): string => { sleep(0); return s.toUpperCase(); };
  label(): string { return 'client'; }
}
`;

const CONSUMER = `
import { fetchData, fetchConst, retry, onEach, pure, Client } from 'blocklib';
import { sleep } from 'greenlets';
export function a() { return fetchData(1); }
export function b() { return fetchConst(2); }
export function c(cl: Client) { return cl.get(3); }
export function d(cl: Client) { return cl.handler('x'); }
export function e() { return retry(() => fetchData(4), 2); }
export function f() { return retry(() => 5, 2); }
export function g() { const seen: number[] = []; onEach([1, 2], (x) => { sleep(0); seen.push(x); }); return seen; }
export function h() { return pure(1) + new Client().label().length; }
const cl = new Client();
console.log(a(), b(), c(cl), d(cl), e(), f(), g().join('+'), h());
`;

let libDir = '';
let dts = '';

beforeAll(() => {
  libDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-lib-'));
  fs.mkdirSync(path.join(libDir, 'src'));
  fs.mkdirSync(path.join(libDir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(libDir, 'node_modules/greenlets'), 'dir');
  fs.writeFileSync(path.join(libDir, 'src/index.ts'), LIB);
  fs.writeFileSync(
    path.join(libDir, 'package.json'),
    JSON.stringify({ name: 'blocklib', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
  );
  fs.writeFileSync(
    path.join(libDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, declaration: true,
        skipLibCheck: true, rootDir: 'src', outDir: 'dist', types: [], typeRoots: [path.join(repoRoot, 'node_modules/@types')],
      },
      include: ['src'],
    }),
  );
  const pt = createProjectTransformer({ tsconfig: path.join(libDir, 'tsconfig.json') });
  const r = pt.emit();
  expect(r.diagnostics.filter((x) => x.category === 'error')).toEqual([]);
  dts = fs.readFileSync(path.join(libDir, 'dist/index.d.ts'), 'utf8');
  // the consumer gets the package as published: package.json and dist/, no sources
  fs.rmSync(path.join(libDir, 'src'), { recursive: true });
  fs.rmSync(path.join(libDir, 'node_modules'), { recursive: true });
});

/** The line right before the declaration of `name` in the .d.ts. */
function tagOf(name: string): string {
  const lines = dts.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\s*(export declare (function|const) )?${name}\\b`).test(l));
  return i > 0 ? lines[i - 1]!.trim() : '';
}

describe('the library .d.ts', () => {
  it('tags green exports @blocking, callback-green ones @blocking <params>, plain ones not at all', () => {
    expect(tagOf('fetchData')).toBe('/** @blocking */');
    expect(tagOf('fetchConst')).toBe('/** @blocking */');
    expect(tagOf('retry')).toBe('/** @blocking fn */');
    expect(tagOf('onEach')).toBe('/** @blocking fn */');
    expect(tagOf('get')).toBe('/** @blocking */');
    expect(tagOf('handler')).toBe('/** @blocking */');
    expect(tagOf('label')).not.toMatch(/@blocking/);
    expect(tagOf('pure')).not.toMatch(/@blocking/);
  });
});

describe('a consumer that sees only the .js and the .d.ts', () => {
  it('finds the same green functions as with the library in its own program', () => {
    const consumer = analyze({ 'main.ts': CONSUMER }, { greenlets: 'real', packages: { blocklib: libDir } });
    const whole = analyze(
      { 'blocklib.ts': LIB, 'main.ts': CONSUMER.replace("from 'blocklib'", "from './blocklib.js'") },
      { greenlets: 'real' },
    );
    expect(consumer.green('main.ts')).toEqual(['<arrow function at ' + consumer.at('main.ts', '() => fetchData(4)') + '>', '<arrow function at ' + consumer.at('main.ts', '(x) => { sleep(0)') + '>', 'a', 'b', 'c', 'd', 'e', 'g'].sort());
    expect(consumer.green('main.ts').map((n) => n.replace(consumer.dir, ''))).toEqual(whole.green('main.ts').map((n) => n.replace(whole.dir, '')));
    expect(consumer.call('main.ts', 'fetchData(1)')).toEqual({ kind: 'green' });
    expect(consumer.call('main.ts', 'fetchConst(2)')).toEqual({ kind: 'green' });
    // a method: a subclass elsewhere may override it plainly, so tested at run time
    expect(consumer.call('main.ts', 'cl.get(3)')).toEqual({ kind: 'dynamic' });
    expect(consumer.call('main.ts', "cl.handler('x')")).toEqual({ kind: 'green' });
    expect(consumer.call('main.ts', 'retry(() => fetchData(4), 2)')).toEqual({ kind: 'green' });
    // f passes a plain callback: retry does not block for it, f stays plain
    expect(consumer.call('main.ts', 'retry(() => 5, 2)')).toBe('plain');
    expect(consumer.explain('main.ts', 'e')[0]).toMatch(/^e calls retry at main\.ts:8:30, passing the green function <arrow function at main\.ts:8:36> as fn \(retry blocks only when given one\)$/);
    expect(consumer.diagnostics()).toEqual([]);
  });

  it('runs: the consumer built against the library prints what plain blocking code would', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-consumer-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/greenlets'), 'dir');
    fs.cpSync(libDir, path.join(dir, 'node_modules/blocklib'), { recursive: true });
    // the library's own emitted code imports greenlets too
    fs.mkdirSync(path.join(dir, 'node_modules/blocklib/node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/blocklib/node_modules/greenlets'), 'dir');
    fs.writeFileSync(path.join(dir, 'src/main.ts'), CONSUMER);
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, rootDir: 'src', outDir: 'dist', types: [] }, include: ['src'] }),
    );
    const r = createProjectTransformer({ tsconfig: path.join(dir, 'tsconfig.json') }).emit();
    expect(r.diagnostics.filter((x) => x.category === 'error')).toEqual([]);
    const out = execFileSync(process.execPath, [path.join(dir, 'dist/main.js')], { encoding: 'utf8' });
    expect(out).toBe('d1 20 4 X d4 5 1+2 8\n');
  });
});

describe('a library build (declaration: true): its exports are called from outside', () => {
  const src = `
import { EventEmitter } from 'node:events';
import { sleep } from 'greenlets';
export function pause() { sleep(0); }
export function run(cb: () => void) { cb(); }
export function twice(cb: () => void) { run(cb); run(cb); }
export function listen(em: EventEmitter, fn: (x: string) => void) { em.on('x', fn); }
export class Conn {
  constructor(private onMessage: (m: string) => void) {}
  deliver(m: string) { this.onMessage(m); }
  #hidden(cb: () => void) { cb(); }
}
function internal(cb: () => void) { cb(); }
export function usesInternal() { internal(() => 1); }
`;

  it('calls through parameters of exported functions are dynamic and make them green for green callbacks only', () => {
    const a = analyze({ 'lib.ts': src }, { library: true });
    // Conn.deliver calls what the constructor stored: no `@blocking <param>` tag can say that, so it stays
    // plain and a consumer passing a green onMessage adapts it (spawn per call) as for any untransformed code.
    expect(a.green('lib.ts')).toEqual(['pause', 'run', 'twice']);
    expect(a.call('lib.ts', 'cb()')).toEqual({ kind: 'dynamic' });
    expect(a.call('lib.ts', 'this.onMessage(m)')).toBe('plain');
    const cond = a.file('lib.ts').conditional!;
    expect([...cond].map(([fn, names]) => `${(fn as { name?: { getText(): string } }).name?.getText()}(${names.join(',')})`).sort()).toEqual(['run(cb)', 'twice(cb)']);
    // listen is plain (untagged): an outside caller adapts what it passes to it; plain code is left as written
    expect([...a.file('lib.ts').spawnAdapted].map((e) => e.getText())).toEqual([]);
    expect(a.diagnostics()).toEqual([]);
    expect(a.explain('lib.ts', 'run')).toEqual([
      'run calls its parameter cb at lib.ts:5:39; it is exported, so a caller outside this program may pass a green function as cb (it blocks only when one does)',
    ]);
  });

  it('a library that does not use greenlets is plain code: nothing is opened to outside callers', () => {
    const plain = src.replace("import { sleep } from 'greenlets';\nexport function pause() { sleep(0); }", '');
    expect(plain).not.toMatch(/greenlets/);
    const a = analyze({ 'lib.ts': plain }, { library: true });
    expect(a.green('lib.ts')).toEqual([]);
    expect(a.file('lib.ts').spawnAdapted.size).toBe(0);
    expect(a.diagnostics()).toEqual([]);
  });

  it('an application (no declarations) sees all its callers: nothing there is green', () => {
    const a = analyze({ 'lib.ts': src });
    expect(a.green('lib.ts')).toEqual(['pause']);
  });
});
