/**
 * greenlets/tsc where tsc writes no JavaScript: `tspc --noEmit`, `--emitDeclarationOnly`, and `--noEmitOnError`
 * with a type error run no `before` transformer, yet greenlets' diagnostics must be in tsc's output and its exit
 * code as in a full build — for both plugin entries (program transformer and source transformer).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linkGreenlets, node, removeTemp, ROOT, tempDir, writeFiles } from '../cli/support.js';
import { BASE_COMPILER_OPTIONS } from './support/tsconfig.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const TSPC = createRequire(path.join(ROOT, 'package.json')).resolve('ts-patch/bin/tspc.js');

const SOURCES = {
  'package.json': '{"type": "module"}\n',
  // A green function where a result is expected: GL1001, an error, at 2:35.
  'bad/main.ts': `import { sleep } from 'greenlets';\nexport const sorted = [2, 1].sort((a, b) => {\n  sleep(0);\n  return a - b;\n});\n`,
  // An exported green function: its declaration carries @blocking.
  'bad/pause.ts': `import { sleep } from 'greenlets';\nexport function pause(): void {\n  sleep(0);\n}\n`,
  'typed/wrong.ts': `export const n: number = 'not a number';\n`,
};

const GL1001 = /^bad\/main\.ts\(2,35\): error TS901001: greenlets GL1001: green function <arrow function at .*bad\/main\.ts:2:35> is passed to Array\.sort/gm;

let dir: string;
beforeAll(() => {
  dir = tempDir('tsc-noemit');
  writeFiles(dir, SOURCES);
  linkGreenlets(dir, { nodeTypes: true });
});
afterAll(() => removeTemp(dir));

type Entry = 'program' | 'source';

/** A tsconfig for `include`, with the plugin entry of that kind and the given extra compiler options. */
function tsconfig(name: string, entry: Entry, include: string[], extra: Record<string, unknown>): string {
  const file = `tsconfig.${name}.json`;
  const plugin = entry === 'program' ? { transform: 'greenlets/tsc', transformProgram: true } : { transform: 'greenlets/tsc' };
  const compilerOptions = {
    ...BASE_COMPILER_OPTIONS,
    rootDir: '.',
    outDir: `out-${name}`,
    plugins: [plugin],
    ...extra,
  };
  fs.writeFileSync(path.join(dir, file), JSON.stringify({ compilerOptions, include }));
  return file;
}

/** Every file under out-NAME, relative to it (none when the folder was not created). */
function outputs(name: string): string[] {
  const out = path.join(dir, `out-${name}`);
  if (!fs.existsSync(out)) return [];
  return (fs.readdirSync(out, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(out, f)).isFile()).sort();
}

// Each tspc run costs ~5 s of CPU: one run per case, the options split between the two entries.
describe.concurrent('greenlets/tsc when tsc writes no JavaScript', () => {
  it.each<Entry>(['program', 'source'])('noEmit (%s entry): prints GL1001 with file(line,col), once, and exits non-zero; writes nothing', async (entry) => {
    const name = `noemit-${entry}`;
    const r = await node([TSPC, '-p', tsconfig(name, entry, ['bad'], { noEmit: true })], { cwd: dir });
    expect(r.stdout.match(GL1001)).toHaveLength(1);
    expect(r.code).not.toBe(0);
    expect(outputs(name)).toEqual([]);
  });

  it('emitDeclarationOnly (program entry): prints GL1001 and exits non-zero; the .d.ts still carry @blocking', async () => {
    const name = 'dts-program';
    const r = await node([TSPC, '-p', tsconfig(name, 'program', ['bad'], { emitDeclarationOnly: true })], { cwd: dir });
    expect(r.stdout.match(GL1001)).toHaveLength(1);
    expect(r.code).not.toBe(0);
    expect(outputs(name)).toEqual(['bad/main.d.ts', 'bad/pause.d.ts']);
    expect(fs.readFileSync(path.join(dir, `out-${name}`, 'bad', 'pause.d.ts'), 'utf8')).toMatch(/@blocking \*\/\s*export declare function pause/);
  });

  it('noEmitOnError with a type error (source entry): prints both the type error and GL1001', async () => {
    const name = 'onerror-source';
    const r = await node([TSPC, '-p', tsconfig(name, 'source', ['bad', 'typed'], { noEmitOnError: true })], { cwd: dir });
    expect(r.stdout.match(GL1001)).toHaveLength(1);
    expect(r.stdout).toMatch(/^typed\/wrong\.ts\(1,14\): error TS2322: /m);
    expect(r.code).not.toBe(0);
    expect(outputs(name)).toEqual([]);
  });

  it('a full emit (source entry) reports GL1001 once: the files the emit rewrote are not rewritten again', async () => {
    const name = 'full-source';
    const r = await node([TSPC, '-p', tsconfig(name, 'source', ['bad'], {})], { cwd: dir });
    expect(r.stdout.match(GL1001)).toHaveLength(1);
    expect(r.code).not.toBe(0);
    expect(outputs(name)).toContain('bad/main.js');
  });
});
