/**
 * `node --import greenlets/register`: ES module and CommonJS entries; .ts, .mts, .cts, .tsx and the project's
 * plain .js files go through the transform (node_modules does not); the same options from GREENLETS_* variables.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linkGreenlets, node, removeTemp, tempDir, writeFiles } from '../cli/support.js';

vi.setConfig({ testTimeout: 180_000 });

let dir: string;
beforeAll(() => {
  dir = tempDir('loader');
  writeFiles(dir, {
    'esm/package.json': '{"type": "module"}\n',
    'esm/main.ts': `import { sleep, spawn, joinall } from 'greenlets';
import { twice } from './math.js';
import { label } from './view.tsx';
import { shout } from './legacy.js';
import { late } from './late.mts';
import { nap } from 'plainpkg';

function work(n: number): number {
  sleep(0.001);
  return twice(n);
}
const gs = [1, 2, 3].map((n) => spawn(work, n));
joinall(gs);
let napped: string;
try {
  napped = nap();
} catch (e) {
  napped = (e as Error).name;
}
console.log(gs.map((g) => g.value).join(','), label(), shout('hi'), late(), napped);
`,
    'esm/math.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
    'esm/view.tsx': `import { sleep } from 'greenlets';\nexport function label(): string {\n  sleep(0);\n  return 'tsx';\n}\n`,
    // The project's plain JavaScript is transformed too: this blocking function becomes green.
    'esm/legacy.js': `import { sleep } from 'greenlets';\nexport function shout(s) {\n  sleep(0.001);\n  return s.toUpperCase();\n}\n`,
    'esm/late.mts': `import { sleep } from 'greenlets';\nsleep(0.001);\nexport const late = (): string => 'mts';\n`,
    // A compiled package: never transformed, so its blocking call, made plainly, raises.
    'esm/node_modules/plainpkg/package.json': '{"name": "plainpkg", "type": "module", "main": "index.js"}\n',
    'esm/node_modules/plainpkg/index.js': `import { sleep } from 'greenlets';\nexport function nap() {\n  sleep(0.001);\n  return 'napped';\n}\n`,
    'esm/deep.ts': `import { sleep } from 'greenlets';

function three(): void {
  sleep(0.001);
  throw new Error('three deep');
}
function two(): void {
  three();
}
function one(): void {
  sleep(0);
  two();
}
one();
`,
    'esm/bad.ts': `import { sleep } from 'greenlets';\nconsole.log('must not run');\nexport const xs = [2, 1].sort((a, b) => { sleep(0); return a - b; });\n`,
    'esm/warn.ts': `import { sleep } from 'greenlets';\nimport { existsSync } from 'node:fs';\nfunction f(): boolean {\n  sleep(0);\n  return existsSync('.');\n}\nconsole.log('warn ran', f());\n`,
    'esm/skip.ts': `import { sleep } from 'greenlets';\nfunction pause(): string {\n  sleep(0.001);\n  return 'paused';\n}\ntry {\n  console.log(pause());\n} catch (e) {\n  console.log('untransformed:', (e as Error).name);\n}\n`,
    // As under `greenlets run`: the end of the entry module ends the program although a greenlet sleeps; the end of
    // an imported module with blocking top-level code does not.
    'esm/forever.ts': `import { spawn, sleep } from 'greenlets';
import { depState } from './forever-dep.js';
spawn(() => {
  try {
    sleep(3600);
  } finally {
    console.log('never printed');
  }
});
sleep(0.05);
console.log(depState, 'main done');
`,
    'esm/forever-dep.ts': `import { sleep } from 'greenlets';\nsleep(0.01);\nexport const depState = 'dep loaded';\n`,
    'cjs/package.json': '{"type": "commonjs"}\n',
    'cjs/main.cts': `import { spawn, sleep } from 'greenlets';\nconst { twice } = require('./math');\nfunction main(): void {\n  sleep(0.001);\n  console.log('cjs', twice(21), typeof require, __filename.endsWith('main.cts'));\n}\nspawn(main);\n`,
    'cjs/math.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
    // No "type": import/export syntax makes an ES module (Node's detection), as for .js files.
    'loose/detect.ts': `import { sleep } from 'greenlets';\nsleep(0.001);\nconsole.log('detected', typeof require);\n`,
  });
  linkGreenlets(path.join(dir, 'esm'), { nodeTypes: true });
  linkGreenlets(path.join(dir, 'cjs'), { nodeTypes: true });
  linkGreenlets(path.join(dir, 'loose'));
});
afterAll(() => removeTemp(dir));

const register = ['--import', 'greenlets/register'];

describe.concurrent('node --import greenlets/register', () => {
  it('runs an ES module entry with .ts, .tsx, .mts and plain .js project files, leaving node_modules alone', async () => {
    const r = await node([...register, 'main.ts'], { cwd: path.join(dir, 'esm') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2,4,6 tsx HI mts BlockingSwitchOutError\n');
    expect(r.code).toBe(0);
  });

  it('lets the process exit when the ES module entry ends, although a greenlet sleeps (not when an import ends)', async () => {
    const started = Date.now();
    const r = await node([...register, 'forever.ts'], { cwd: path.join(dir, 'esm'), timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('dep loaded main done\n');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  it('runs a CommonJS entry (.cts) that requires a .ts file', async () => {
    const r = await node([...register, 'main.cts'], { cwd: path.join(dir, 'cjs') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('cjs 42 function true\n');
    expect(r.code).toBe(0);
  });

  it('treats a .ts file with import syntax and no package "type" as an ES module', async () => {
    const r = await node([...register, 'detect.ts'], { cwd: path.join(dir, 'loose') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('detected undefined\n');
  });

  it('maps stack traces to the original .ts lines, through three green calls', async () => {
    const r = await node([...register, 'deep.ts'], { cwd: path.join(dir, 'esm') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: three deep');
    const lines = [...r.stderr.matchAll(/deep\.ts:(\d+):\d+/g)].map((m) => Number(m[1]));
    // The throw, then each green caller, then the top-level call.
    expect(lines.slice(0, 4)).toEqual([5, 8, 12, 14]);
  });

  it('an error found by the transform stops the program before it runs (exit 1, tsc format)', async () => {
    const r = await node([...register, 'bad.ts'], { cwd: path.join(dir, 'esm') });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bad\.ts:3:\d+ - error GL1001: /m);
  });

  it('GREENLETS_DIAGNOSTICS sets the level; warnings otherwise go to stderr and the program runs', async () => {
    const cwd = path.join(dir, 'esm');
    const loud = await node([...register, 'warn.ts'], { cwd });
    expect(loud.stdout).toBe('warn ran true\n');
    expect(loud.stderr).toMatch(/^warn\.ts:5:\d+ - warning GL3001: existsSync blocks/m);
    const quiet = await node([...register, 'warn.ts'], { cwd, env: { GREENLETS_DIAGNOSTICS: 'error', GREENLETS_CACHE_DIR: path.join(cwd, '.gl-quiet') } });
    expect(quiet.stdout).toBe('warn ran true\n');
    expect(quiet.stderr).toBe('');
  });

  it('GREENLETS_EXCLUDE leaves a file out of the rewrite (its blocking call then raises)', async () => {
    const cwd = path.join(dir, 'esm');
    const on = await node([...register, 'skip.ts'], { cwd });
    expect(on.stdout).toBe('paused\n');
    const off = await node([...register, 'skip.ts'], { cwd, env: { GREENLETS_EXCLUDE: 'skip.ts,other/**', GREENLETS_CACHE_DIR: path.join(cwd, '.gl-exclude') } });
    // Still compiled from TypeScript, but not rewritten: sleep() called plainly raises.
    expect(off.stderr).toBe('');
    expect(off.stdout).toBe('untransformed: BlockingSwitchOutError\n');
  });

  it('a bad GREENLETS_* value is refused with exit code 2', async () => {
    const r = await node([...register, 'warn.ts'], { cwd: path.join(dir, 'esm'), env: { GREENLETS_PATCH: 'fs,bogus' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("GREENLETS_PATCH: unknown patch target 'bogus'");
    const level = await node([...register, 'warn.ts'], { cwd: path.join(dir, 'esm'), env: { GREENLETS_DIAGNOSTICS: 'loud' } });
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('GREENLETS_DIAGNOSTICS must be one of error, warning, info, none');
  });
});
