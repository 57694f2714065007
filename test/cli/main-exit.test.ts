/**
 * When the main module of `greenlets run` ends, greenlets still sleeping no longer keep the process alive — gevent
 * exits there — while whatever else holds Node's loop (a server, a plain timer) still does, and greenlets go on
 * running beside it. Greenlets that are ready when main ends do not run either (gevent never switches to them).
 * fixtures/twins/main_exit and exit_order compare these with real gevent line by line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenlets, removeTemp, tempDir, writeFiles } from './support.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('main-exit');
  writeFiles(dir, {
    'forever.ts': `import { spawn, sleep, spawnLater } from 'greenlets';
import { Timeout } from 'greenlets';
function sleeper(): void {
  try {
    sleep(3600);
  } finally {
    console.log('never printed: the process exits without resuming it');
  }
}
spawn(sleeper);
spawnLater(3600, () => console.log('never started'));
Timeout.startNew(3600);
sleep(0.02);
console.log('main done');
`,
    'cjs/package.json': JSON.stringify({ type: 'commonjs' }),
    'cjs/app.ts': `import { spawn, sleep } from 'greenlets';
function main(): void {
  for (let i = 0; i < 3; i++) {
    sleep(0.02);
    console.log('step', i);
  }
}
spawn(main);
`,
    'ready.ts': `import { spawn, sleep, spawnLater } from 'greenlets';
spawn(() => {
  for (;;) sleep(0);
});
spawn(() => console.log('never printed: ready when main ended'));
spawnLater(0, () => console.log('never printed: due when main ended'));
console.log('main done');
`,
    'held.ts': `import { spawn, sleep } from 'greenlets';
let ticks = 0;
spawn(() => {
  for (;;) {
    sleep(0.02);
    ticks++;
  }
});
// a plain Node timer holds the loop after main ends; the ticking greenlet keeps running meanwhile
setTimeout(() => {
  console.log(ticks >= 5 ? 'greenlet kept ticking' : 'greenlet stopped at ' + ticks);
  process.exit(0);
}, 300);
console.log('main done');
`,
  });
});
afterAll(() => removeTemp(dir));

describe('the end of the main module', () => {
  it('lets the process exit although greenlets sleep, spawnLater waits and a Timeout is pending', async () => {
    const started = Date.now();
    const r = await greenlets(['run', 'forever.ts'], { cwd: dir, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('main done\n');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  it('lets the process exit at once with greenlets ready to run, one of them looping on sleep(0)', async () => {
    const started = Date.now();
    const r = await greenlets(['run', 'ready.ts'], { cwd: dir, timeout: 30_000 });
    expect(r.stdout).toBe('main done\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('does not end a CommonJS program, which can only start its blocking work with spawn()', async () => {
    const r = await greenlets(['run', 'cjs/app.ts'], { cwd: dir, timeout: 60_000 });
    expect(r.stdout).toBe('step 0\nstep 1\nstep 2\n');
    expect(r.code).toBe(0);
  });

  it('keeps greenlets running while something else holds the loop', async () => {
    const r = await greenlets(['run', 'held.ts'], { cwd: dir, timeout: 60_000 });
    expect(r.stdout).toBe('main done\ngreenlet kept ticking\n');
    expect(r.code).toBe(0);
  });
});
