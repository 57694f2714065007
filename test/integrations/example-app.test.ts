/**
 * The example app (examples/app, with the greenlets-compiled library examples/app-lib installed as .js and
 * .d.ts only) built and run through every path — CLI run, CLI build + node, the loader, tspc, tsc after
 * `ts-patch install`, Vite, esbuild, Rollup, webpack, Babel — each must print the same output, including the
 * stack trace of an error thrown three green calls deep, mapped to the original .ts lines.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { greenlets, node, removeTemp, ROOT, tempDir, type Result } from '../cli/support.js';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const EXAMPLES = path.join(ROOT, 'examples');
const EXPECTED = fs.readFileSync(path.join(EXAMPLES, 'app', 'expected-output.txt'), 'utf8');
const SUPPORT = path.join(ROOT, 'test', 'integrations', 'support');
const own = createRequire(path.join(ROOT, 'package.json'));
const TSPC = own.resolve('ts-patch/bin/tspc.js');
const TS_PATCH = own.resolve('ts-patch/bin/ts-patch.js');

let tmp: string;
let app: string;

/** Builds are CPU-heavy and the machine may have two cores: two at a time. */
function limit(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    while (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const slot = limit(2);

function ok(r: Result, what: string): void {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
}

const runBuilt = (file: string) => node(['--enable-source-maps', file], { cwd: app });

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(path.join(app, file), JSON.stringify(value, null, 2));
}

beforeAll(() => {
  tmp = tempDir('example');
  app = path.join(tmp, 'app');
  for (const d of ['app', 'app-lib']) {
    fs.cpSync(path.join(EXAMPLES, d), path.join(tmp, d), {
      recursive: true,
      filter: (p) => !/[/\\](node_modules|out|dist)$/.test(p),
    });
  }
  execFileSync(process.execPath, [path.join(EXAMPLES, 'app', 'setup.mjs'), '--app', app, '--lib', path.join(tmp, 'app-lib')], {
    stdio: 'pipe',
  });
  writeJson('tsconfig.tspc.json', {
    extends: './tsconfig.json',
    compilerOptions: { outDir: 'out-tspc', plugins: [{ transform: 'greenlets/tsc', transformProgram: true }] },
  });
  writeJson('tsconfig.tsc.json', {
    extends: './tsconfig.json',
    compilerOptions: { outDir: 'out-tsc', plugins: [{ transform: 'greenlets/tsc' }] },
  });
});
afterAll(() => removeTemp(tmp));

const paths: Array<[string, () => Promise<Result>]> = [
  ['greenlets run', () => greenlets(['run', 'src/main.ts'], { cwd: app, env: { GREENLETS_CACHE_DIR: undefined } })],
  [
    'greenlets build + node',
    async () => {
      ok(await greenlets(['build'], { cwd: app, env: { GREENLETS_CACHE_DIR: undefined } }), 'greenlets build');
      return runBuilt('out/main.js');
    },
  ],
  ['node --import greenlets/register', () => node(['--import', 'greenlets/register', 'src/main.ts'], { cwd: app, env: { GREENLETS_CACHE_DIR: undefined } })],
  [
    'tspc',
    async () => {
      const r = await node([TSPC, '-p', 'tsconfig.tspc.json'], { cwd: app, env: { GREENLETS_TRACE: '1' } });
      ok(r, 'tspc');
      expect(r.stderr).toMatch(/greenlets\/tsc: transforming with TypeScript \S+, the instance ts-patch handed over/);
      expect(fs.readFileSync(path.join(app, 'out-tspc', 'inspection.d.ts'), 'utf8')).toMatch(/@blocking \*\/\s*export declare function inspect/);
      return runBuilt('out-tspc/main.js');
    },
  ],
  [
    'tsc after ts-patch install',
    async () => {
      // A copy of TypeScript for this app only, patched in place as `ts-patch install` does.
      const tsDir = path.join(app, 'node_modules', 'typescript');
      fs.cpSync(path.dirname(own.resolve('typescript/package.json')), tsDir, { recursive: true });
      ok(await node([TS_PATCH, 'install', '-s', '--dir', tsDir], { cwd: app }), 'ts-patch install');
      const r = await node([path.join(tsDir, 'bin', 'tsc'), '-p', 'tsconfig.tsc.json'], { cwd: app });
      ok(r, 'patched tsc');
      expect(fs.readFileSync(path.join(app, 'out-tsc', 'inspection.d.ts'), 'utf8')).toMatch(/@blocking \*\/\s*export declare function inspect/);
      return runBuilt('out-tsc/main.js');
    },
  ],
  ...(['vite', 'esbuild', 'rollup', 'webpack'] as const).map(
    (b): [string, () => Promise<Result>] => [
      b,
      async () => {
        const outfile = path.join('bundles', b, b === 'webpack' ? 'main.cjs' : 'main.mjs');
        ok(await node([path.join(SUPPORT, 'bundle.mjs'), b, 'src/main.ts', outfile], { cwd: app }), `${b} build`);
        return runBuilt(outfile);
      },
    ],
  ),
  [
    'babel',
    async () => {
      ok(await node([path.join(SUPPORT, 'babel-build.mjs'), 'src', 'out-babel'], { cwd: app }), 'babel');
      return runBuilt('out-babel/main.js');
    },
  ],
];

describe.concurrent('the example app, every way it can be built', () => {
  it.each(paths)('%s prints the expected output', async (_name, build) => {
    const r = await slot(build);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(EXPECTED);
    expect(r.code).toBe(0);
  });
});
