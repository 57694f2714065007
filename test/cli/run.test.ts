/**
 * `greenlets run`: a TypeScript program in a folder with no tsconfig.json and no node_modules (the product's
 * front door), the check before the run, exit codes, stack traces, the disk cache, CommonJS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { greenlets, removeTemp, tempDir, writeFiles } from './support.js';

const PROGRAM = `import { spawn, joinall, sleep } from 'greenlets';
import { Queue } from 'greenlets/queue';
import { Event } from 'greenlets/event';
import { Lock } from 'greenlets/lock';
import { Pool } from 'greenlets/pool';
import { Local } from 'greenlets/local';
import { label } from './util';

const q = new Queue<number>();
const done = new Event();
const lock = new Lock();
const local = new Local<{ name?: string }>();
const log: string[] = [];

function producer(n: number): void {
  for (let i = 1; i <= n; i++) {
    q.put(i);
    sleep(0.001);
  }
  done.set();
}

function consumer(): number {
  done.wait();
  let sum = 0;
  while (!q.empty()) sum += q.get();
  return sum;
}

function critical(name: string): void {
  local.name = name;
  lock.acquire();
  try {
    log.push(local.name + '+');
    sleep(0.002);
    log.push(local.name + '-');
  } finally {
    lock.release();
  }
}

const p = spawn(producer, 4);
const c = spawn(consumer);
const squares = new Pool(2).map((x: number) => {
  sleep(0.001);
  return x * x;
}, [1, 2, 3]);
joinall([p, c, spawn(critical, 'a'), spawn(critical, 'b')]);
console.log(JSON.stringify({ sum: c.value, squares, log, label: label(), args: process.argv.slice(2) }));
`;

const THROWS = `import { sleep } from 'greenlets';

function inner(n: number): number {
  sleep(0.001);
  throw new Error('deep failure ' + n);
}
function middle(n: number): number {
  sleep(0);
  return inner(n + 1);
}
function outer(): number {
  return middle(1);
}
console.log('before');
outer();
`;

let dir: string;
beforeAll(() => {
  dir = tempDir('run');
  writeFiles(dir, {
    'prog.ts': PROGRAM,
    'util.ts': `export const label = (): string => 'util:' + typeof process;\n`,
    'throws.ts': THROWS,
    'forever.ts': `import { Event } from 'greenlets/event';\n\nfunction waitForever(): void {\n  const ev = new Event();\n  ev.wait();\n}\nconsole.log('before');\nwaitForever();\n`,
    'exit.ts': `import { sleep } from 'greenlets';\nsleep(0.001);\nconsole.log('exiting');\nprocess.exitCode = 3;\n`,
    'bad.ts': `import { sleep } from 'greenlets';\nconsole.log('must not run');\nconst xs = [3, 1, 2].sort((a, b) => { sleep(0); return a - b; });\nconsole.log(xs);\n`,
    'warn.ts': `import { sleep } from 'greenlets';\nimport { readFileSync } from 'node:fs';\nfunction size(): number {\n  sleep(0);\n  return readFileSync(process.argv[1]!, 'utf8').length;\n}\nconsole.log('ran', size() > 0);\n`,
    'cjs/package.json': '{"type": "commonjs"}\n',
    // CommonJS has no top-level await, so its blocking code runs in a greenlet.
    'cjs/main.ts': `import { spawn, joinall, sleep } from 'greenlets';\nconst { twice } = require('./lib');\nconst tool = require('./tool.cts');\nfunction work(n: number): number {\n  sleep(0.001 * n);\n  return twice(n);\n}\n// CommonJS cannot block at the top level, and (as in gevent) sleeping greenlets do not keep the program alive\n// once the main module has ended: a plain timer holds the loop until main is done.\nconst hold = setInterval(() => {}, 1000);\nfunction main(): void {\n  const gs = [1, 2, 3].map((n) => spawn(work, n));\n  joinall(gs);\n  console.log('cjs', gs.map((g) => g.value).join(','), tool.name, typeof module, typeof __filename);\n  clearInterval(hold);\n}\nspawn(main);\n`,
    'cjs/lib.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
    'cjs/tool.cts': `export const name = 'tool';\n`,
    // ES imports make it an ES module to Node whatever tsconfig says; import-equals must still bind
    'esm-require/package.json': '{"name": "esm-require"}\n',
    'esm-require/tsconfig.json': '{"compilerOptions": {"module": "commonjs", "strict": true, "esModuleInterop": true}}\n',
    'esm-require/main.ts': `import { sleep, spawn } from 'greenlets';\nimport path = require('node:path');\nimport fs = require('node:fs');\nimport os = require('node:os');\nexport import util = require('node:util');\nlet st: fs.Stats | undefined;\nfunction base(p: string): string {\n  sleep(0.001);\n  return path.basename(p);\n}\nconsole.log(spawn(base, '/a/b.txt').get(), typeof util.format, st === undefined, typeof os.EOL);\n`,
  });
});
afterAll(() => removeTemp(dir));

// Cold starts load TypeScript and analyse; on a loaded 2-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000 });

describe.concurrent('greenlets run', () => {
  it('runs a program in a folder with no tsconfig.json and no node_modules; greenlets/* resolve to this package', async () => {
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'tsconfig.json'))).toBe(false);
    const env = { GREENLETS_TRACE: '1', GREENLETS_CACHE_DIR: path.join(dir, '.cache-prog') };
    const r = await greenlets(['run', 'prog.ts', 'one', '--two'], { cwd: dir, env });
    expect(r.stderr).toContain('greenlets: analysed the project');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      sum: 10,
      squares: [1, 4, 9],
      log: ['a+', 'a-', 'b+', 'b-'],
      label: 'util:object',
      args: ['one', '--two'],
    });
    // A second start with nothing changed takes every file from the disk cache (TypeScript is not loaded).
    const again = await greenlets(['run', 'prog.ts', 'one', '--two'], { cwd: dir, env });
    expect(again.stderr).toContain('greenlets: every file came from the disk cache');
    expect(again.stdout).toBe(r.stdout);
    // Changing an imported file invalidates the cache.
    const util = path.join(dir, 'util.ts');
    fs.writeFileSync(util, `export const label = (): string => 'changed';\n`);
    try {
      const changed = await greenlets(['run', 'prog.ts'], { cwd: dir, env });
      expect(changed.stderr).toContain('greenlets: analysed the project');
      expect(JSON.parse(changed.stdout).label).toBe('changed');
    } finally {
      fs.writeFileSync(util, `export const label = (): string => 'util:' + typeof process;\n`);
    }
  });

  it('--no-cache analyses afresh every time', async () => {
    const env = { GREENLETS_TRACE: '1', GREENLETS_CACHE_DIR: path.join(dir, '.cache-nocache') };
    const a = await greenlets(['run', '--no-cache', 'exit.ts'], { cwd: dir, env });
    const b = await greenlets(['run', '--no-cache', 'exit.ts'], { cwd: dir, env });
    expect(a.stderr).toContain('analysed the project');
    expect(b.stderr).toContain('analysed the project');
    expect(fs.existsSync(path.join(dir, '.cache-nocache'))).toBe(false);
  });

  it("exits with the program's own exit code", async () => {
    const r = await greenlets(['run', 'exit.ts'], { cwd: dir });
    expect(r.stdout).toBe('exiting\n');
    expect(r.code).toBe(3);
  });

  it('an uncaught error exits 1 with a stack trace of the original .ts lines, through the green callers', async () => {
    const r = await greenlets(['run', 'throws.ts'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('before\n');
    expect(r.stderr).toContain('Error: deep failure 2');
    const frames = [...r.stderr.matchAll(/throws\.ts:(\d+):\d+/g)].map((m) => Number(m[1]));
    // inner's throw (line 5), middle's call (9), outer's call (12), the top-level call (15).
    expect(frames).toEqual(expect.arrayContaining([5, 9, 12, 15]));
    expect(frames.indexOf(5)).toBeLessThan(frames.indexOf(9));
    expect(frames.indexOf(9)).toBeLessThan(frames.indexOf(12));
    // as Node prints it (the source line and a caret first), with only the program's frames: no runtime frames
    // (runPlain, the hub) and no V8 generator-resume frames (inner$green.next) between them
    expect(r.stderr).toMatch(
      /^\S*throws\.ts:5\n  throw new Error\('deep failure ' \+ n\);\n {8}\^\n\nError: deep failure 2\n\s+at inner \(\S*throws\.ts:5:9\)\n\s+at middle \(\S*throws\.ts:9:\d+\)\n\s+at outer \(\S*throws\.ts:12:\d+\)\n\s+at \S.*throws\.ts:15:\d+\)?\n\nNode\.js v\d/,
    );
  });

  it("LoopExit in the main greenlet is reported at the program's blocking call, source line included", async () => {
    const r = await greenlets(['run', 'forever.ts'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('before\n');
    expect(r.stderr).toMatch(
      /^\S*forever\.ts:5\n  ev\.wait\(\);\n {5}\^\n\nLoopExit: This operation would block forever[^\n]*\n\s+at waitForever \(\S*forever\.ts:5:\d+\)\n\s+at \S.*forever\.ts:8:\d+\)?\n\nNode\.js v\d/,
    );
  });

  it('an error found by the transform is printed like tsc prints and the program does not run', async () => {
    const r = await greenlets(['run', 'bad.ts'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bad\.ts:3:27 - error GL\d{4}: /m);
    expect(r.stderr).toContain('bad.ts was not run');
  });

  it('warnings go to stderr and the program runs; --diagnostics=error hides them', async () => {
    const r = await greenlets(['run', 'warn.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ran true\n');
    expect(r.stderr).toMatch(/^warn\.ts:5:\d+ - warning GL3\d{3}: readFileSync blocks/m);
    const quiet = await greenlets(['run', '--diagnostics', 'error', 'warn.ts'], { cwd: dir, env: { GREENLETS_CACHE_DIR: path.join(dir, '.cache-quiet') } });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('binds `import x = require()` in a file Node runs as an ES module (TypeScript\'s ES output drops it)', async () => {
    const r = await greenlets(['run', 'esm-require/main.ts'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('b.txt function true string\n');
    expect(r.code).toBe(0);
  });

  it('runs CommonJS: .ts in a "type": "commonjs" package, require() of .ts and .cts files', async () => {
    const r = await greenlets(['run', 'cjs/main.ts'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('cjs 2,4,6 tool object string\n');
    expect(r.code).toBe(0);
    // And again from the cache (CommonJS files are then read by the main thread's loader).
    const again = await greenlets(['run', 'cjs/main.ts'], { cwd: dir, env: { GREENLETS_TRACE: '1' } });
    expect(again.stderr).toBe('greenlets: every file came from the disk cache\n');
    expect(again.stdout).toBe(r.stdout);
  });
});
