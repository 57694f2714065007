/**
 * The plugins' own behaviour beyond the example app: greenlets diagnostics in tsc's output and in bundler
 * builds (errors fail them), bad options refused with a clear message, and the same options (patch,
 * include/exclude, diagnostics) meaning the same thing in the tsc plugin, the bundler plugin, Babel and the CLI.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { greenlets, linkGreenlets, node, removeTemp, ROOT, tempDir, writeFiles } from '../cli/support.js';
import { BASE_COMPILER_OPTIONS } from './support/tsconfig.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const own = createRequire(path.join(ROOT, 'package.json'));
const TSPC = own.resolve('ts-patch/bin/tspc.js');
const BUNDLE = path.join(ROOT, 'test', 'integrations', 'support', 'bundle.mjs');

const BASE_TSCONFIG = { ...BASE_COMPILER_OPTIONS, rootDir: 'src' };

const SOURCES = {
  'package.json': '{"type": "module"}\n',
  'src/main.ts': `import { sleep } from 'greenlets';\nimport { load } from './files.js';\nsleep(0);\nconsole.log(load().length > 0);\n`,
  // Green code calling a thread-blocking fs function: GL3001 unless patch.fs points the import at greenlets/fs.
  'src/files.ts': `import { sleep } from 'greenlets';\nimport { readFileSync } from 'node:fs';\nexport function load(): string {\n  sleep(0);\n  return readFileSync(new URL(import.meta.url), 'utf8');\n}\n`,
  'src/skipped.ts': `import { sleep } from 'greenlets';\nexport function pause(): void {\n  sleep(0);\n}\n`,
  // A green function where a result is expected: GL1001, an error.
  'bad/main.ts': `import { sleep } from 'greenlets';\nexport const sorted = [2, 1].sort((a, b) => {\n  sleep(0);\n  return a - b;\n});\n`,
};

let dir: string;
beforeAll(() => {
  dir = tempDir('plugins');
  writeFiles(dir, SOURCES);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...BASE_TSCONFIG, outDir: 'out' }, include: ['src'] }));
  linkGreenlets(dir, { nodeTypes: true });
});
afterAll(() => removeTemp(dir));

function tsconfigWith(name: string, include: string, plugin: Record<string, unknown>): string {
  fs.writeFileSync(
    path.join(dir, name),
    JSON.stringify({ compilerOptions: { ...BASE_TSCONFIG, rootDir: '.', outDir: `out-${name}`, plugins: [{ transform: 'greenlets/tsc', ...plugin }] }, include: [include] }),
  );
  return name;
}

describe.concurrent('greenlets/tsc', () => {
  it("puts greenlets' errors in tsc's output and tsc's exit code", async () => {
    const r = await node([TSPC, '-p', tsconfigWith('bad.json', 'bad', { transformProgram: true })], { cwd: dir });
    expect(r.stdout).toMatch(/^bad\/main\.ts\(2,\d+\): error TS901001: greenlets GL1001: /m);
    expect(r.code).not.toBe(0);
  });

  it('takes the options from its plugin entry: patch, exclude, diagnostics', async () => {
    const plain = await node([TSPC, '-p', tsconfigWith('plain.json', 'src', {})], { cwd: dir });
    expect(plain.stdout).toMatch(/^src\/files\.ts\(5,\d+\): warning TS903001: greenlets GL3001: /m);
    const patched = await node([TSPC, '-p', tsconfigWith('patched.json', 'src', { patch: { fs: true }, exclude: ['src/skipped.ts'] })], { cwd: dir });
    expect(patched.stdout).toBe('');
    expect(patched.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out-patched.json', 'src', 'files.js'), 'utf8')).toContain('"greenlets/fs"');
    // Excluded: emitted as tsc emits it, and its .d.ts carries no @blocking.
    expect(fs.readFileSync(path.join(dir, 'out-patched.json', 'src', 'skipped.js'), 'utf8')).not.toContain('__gl');
    expect(fs.readFileSync(path.join(dir, 'out-patched.json', 'src', 'skipped.d.ts'), 'utf8')).not.toContain('@blocking');
    const quiet = await node([TSPC, '-p', tsconfigWith('quiet.json', 'src', { diagnostics: 'error' })], { cwd: dir });
    expect(quiet.stdout).toBe('');
    const bad = await node([TSPC, '-p', tsconfigWith('badopt.json', 'src', { patch: 'sometimes' })], { cwd: dir });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain("greenlets/tsc (compilerOptions.plugins): option 'patch': unknown patch target 'sometimes'");
  });
});

describe.concurrent('bundler plugins', () => {
  it.each(['vite', 'esbuild', 'rollup', 'webpack'])('%s: a greenlets error fails the build, naming the code and the place', async (b) => {
    const r = await node([BUNDLE, b, 'bad/main.ts', `out-bad-${b}/main.mjs`], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/bad\/main\.ts:2:\d+ - error GL1001: /);
  });

  it('warnings are reported through the bundler and the build succeeds', async () => {
    const r = await node([BUNDLE, 'esbuild', 'src/main.ts', 'out-esbuild/main.mjs'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/src\/files\.ts:5:\d+ - warning GL3001: readFileSync blocks/);
  });

  it('an unknown or malformed option is refused with a clear message', async () => {
    const r = await node([BUNDLE, 'vite', 'src/main.ts', 'out-x/main.mjs', JSON.stringify({ pach: true })], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("greenlets/vite: unknown option 'pach'; the options are patch, include, exclude, diagnostics, tsconfig, sourceMap, cache, forceGreen");
  });
});

describe('the same options everywhere', () => {
  it('patch and include/exclude mean the same in the bundler plugin, Babel and the CLI', async () => {
    const files = path.join(dir, 'src', 'files.ts');
    const code = fs.readFileSync(files, 'utf8');
    const { unplugin } = (await import(pathToFileURL(path.join(ROOT, 'dist', 'integrations', 'unplugin.js')).href)) as typeof import('../../src/integrations/unplugin.js');
    const warnings: string[] = [];
    const ctx = { warn: (m: string) => warnings.push(m), error: (m: string) => { throw new Error(m); } };
    const cwd = process.cwd();
    // Relative globs are matched from the working folder, as when a bundler runs in the project.
    process.chdir(dir);
    try {
      const hooks = unplugin.raw({ patch: { fs: true }, exclude: ['src/skipped.ts'], cache: false }, { framework: 'vite' } as Parameters<typeof unplugin.raw>[1]);
      const include = hooks.transformInclude as (id: string) => boolean;
      expect(include(files)).toBe(true);
      expect(include(path.join(dir, 'src', 'skipped.ts'))).toBe(false);
      expect(include(path.join(dir, 'node_modules', 'greenlets', 'dist', 'index.js'))).toBe(false);
      const transform = hooks.transform as unknown as (this: typeof ctx, code: string, id: string) => Promise<{ code: string }>;
      const out = await transform.call(ctx, code, files);
      expect(out.code).toContain('"greenlets/fs"');
      expect(warnings).toEqual([]);
    } finally {
      process.chdir(cwd);
    }

    const babel = own('@babel/core') as typeof import('@babel/core');
    const viaBabel = babel.transformSync(code, {
      filename: files,
      cwd: dir,
      babelrc: false,
      configFile: false,
      parserOpts: { plugins: ['typescript'] },
      plugins: [[path.join(ROOT, 'dist', 'integrations', 'babel.js'), { patch: { fs: true }, cache: false }]],
    });
    expect(viaBabel?.code).toContain('"greenlets/fs"');

    const built = await greenlets(['build', '--patch=fs'], { cwd: dir });
    expect(built.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out', 'files.js'), 'utf8')).toContain('"greenlets/fs"');
  });

  it('the loader takes GREENLETS_PATCH: the patched import points at greenlets/fs', async () => {
    const r = await node(['--import', 'greenlets/register', 'src/main.ts'], { cwd: dir, env: { GREENLETS_PATCH: 'fs' } });
    // Until greenlets/fs exists, the patched import is what fails, and it says so.
    if (r.code !== 0) expect(r.stderr).toContain("Cannot find module 'greenlets/fs': this copy of greenlets");
    else expect(r.stdout).toBe('true\n');
    expect(r.stderr).not.toContain('GL3001');
  });
});
