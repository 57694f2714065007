/**
 * `greenlets run FILE` and the loader analyse FILE and what it imports, not every file of the nearest tsconfig:
 * errors in files the program never loads do not stop it, errors in files it loads do (before it runs, or — for
 * a file reached by a dynamic import — when it is loaded).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenlets, linkGreenlets, node, REGISTER, removeTemp, ROOT, tempDir, writeFiles } from './support.js';

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true },
  include: ['**/*'],
});

/** A green function awaited plainly in async code (GL1014) and a type error. */
const BROKEN = `import { sleep } from 'greenlets';
export function nap(): void {
  sleep(0.001);
}
export async function careless(): Promise<void> {
  nap();
}
const n: number = 'not a number';
export const shown = n;
`;

describe('greenlets run: the entry and what it imports', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('run-scope');
    linkGreenlets(dir, { nodeTypes: true });
    writeFiles(dir, {
      'package.json': '{"type": "module"}\n',
      'tsconfig.json': TSCONFIG,
      'src/app.ts': `import { spawn, joinall } from 'greenlets';
import { double } from './lib.js';
import type { Shape } from './types-only.js';

const shape: Shape = { side: 2 };
const gs = [1, 2, 3].map((n) => spawn(double, n * shape.side));
joinall(gs);
console.log('values', gs.map((g) => g.value).join(','));
if (process.argv[2] === 'late') {
  try {
    await import('./late.js');
  } catch (e) {
    console.log('late import failed:', (e as Error).message.split('\\n')[0]);
  }
}
`,
      'src/lib.ts': `import { sleep } from 'greenlets';
export function double(n: number): number {
  sleep(0.001);
  return n * 2;
}
`,
      // Imported for a type only: TypeScript drops the import, Node never loads the file.
      'src/types-only.ts': `import { sleep } from 'greenlets';
export interface Shape { side: number }
export async function unused(): Promise<void> {
  (function block() { sleep(0); })();
}
`,
      'src/late.ts': BROKEN,
      'src/broken.ts': BROKEN,
      'other/also-broken.ts': BROKEN.replace("from 'greenlets'", "from 'greenlets/nowhere'"),
      'src/uses-broken.ts': `import { shown } from './broken.js';\nconsole.log(shown);\n`,
    });
  });
  afterAll(() => removeTemp(dir));

  it('runs a file whose tsconfig includes broken files it does not load (exit 0, no diagnostics of theirs)', async () => {
    const r = await greenlets(['run', 'src/app.ts'], { cwd: dir, env: { GREENLETS_TRACE: '1' } });
    expect(r.stderr).not.toMatch(/broken|late\.ts|types-only|error/);
    expect(r.stdout).toBe('values 4,8,12\n');
    expect(r.code).toBe(0);
    // Only what the entry imports was transformed: app.ts, lib.ts, late.ts (imported dynamically) and
    // types-only.ts (in the program for its type); not broken.ts, uses-broken.ts or other/.
    expect(r.stderr).toMatch(/transformed 4 files/);
  });

  it('the loader does the same (node --import greenlets/register)', async () => {
    const r = await node(['--import', REGISTER, 'src/app.ts'], { cwd: dir, env: { GREENLETS_CACHE_DIR: path.join(dir, '.gl-cache-loader') } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('values 4,8,12\n');
    expect(r.code).toBe(0);
  });

  it('an error in a file the entry imports still stops the run before it starts', async () => {
    const r = await greenlets(['run', 'src/uses-broken.ts'], { cwd: dir });
    expect(r.stderr).toMatch(/src\/broken\.ts:6:3 - error GL1014/);
    expect(r.stderr).toMatch(/1 error; src\/uses-broken\.ts was not run/);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
  });

  it('a dynamically imported file is checked when it is loaded: its errors make the import fail', async () => {
    const r = await greenlets(['run', 'src/app.ts', 'late'], { cwd: dir });
    expect(r.stdout).toMatch(/^values 4,8,12\nlate import failed: greenlets could not transform .*late\.ts:\n$/);
    expect(r.code).toBe(0);
  });
});

describe('greenlets run inside a project with a wide tsconfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('run-wide');
    linkGreenlets(dir, { nodeTypes: true });
    const files: Record<string, string> = { 'package.json': '{"type": "module"}\n', 'tsconfig.json': TSCONFIG };
    // Forty unrelated modules, each with a type error and a greenlets error.
    for (let i = 0; i < 40; i++) files[`test/case${i}.ts`] = BROKEN;
    fs.mkdirSync(path.join(dir, 'fixtures/deep/er'), { recursive: true });
    files['fixtures/deep/er/spawn_order.ts'] = fs.readFileSync(path.join(ROOT, 'fixtures/twins/spawn_order.ts'), 'utf8');
    writeFiles(dir, files);
  });
  afterAll(() => removeTemp(dir));

  it('a copy of a twin nested deep in the project runs and prints what gevent prints, analysing only itself', async () => {
    const r = await greenlets(['run', 'fixtures/deep/er/spawn_order.ts'], { cwd: dir, env: { GREENLETS_TRACE: '1' } });
    expect(r.stdout).toBe(fs.readFileSync(path.join(ROOT, 'fixtures/twins/spawn_order.out'), 'utf8'));
    expect(r.stderr).toBe('greenlets: analysed the project and transformed 1 file\n');
    expect(r.code).toBe(0);
  });

  it('a twin of this repository runs from the repository root (whose tsconfig takes in src, test and bench)', async () => {
    const r = await greenlets(['run', 'fixtures/twins/spawn_order.ts'], { cwd: ROOT, env: { GREENLETS_TRACE: '1', GREENLETS_CACHE_DIR: path.join(dir, '.gl-cache-repo') } });
    expect(r.stdout).toBe(fs.readFileSync(path.join(ROOT, 'fixtures/twins/spawn_order.out'), 'utf8'));
    expect(r.stderr).toBe('greenlets: analysed the project and transformed 1 file\n');
    expect(r.code).toBe(0);
  });
});
