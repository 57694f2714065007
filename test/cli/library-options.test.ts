/**
 * Callbacks inside an options object across packages (issue 3): a library built with `greenlets build`
 * (declaration on) whose retry blocks only through `options.onRetry` is tagged `@blocking fn options.onRetry`
 * in its .d.ts; a consumer built against the published .js + .d.ts calls it green when it passes a blocking
 * onRetry, so retry waits for it (gevent order), and plainly when it passes a plain one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenlets, linkGreenlets, node, removeTemp, tempDir, writeFiles } from './support.js';

const tsconfig = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true,
      rootDir: 'src', outDir: 'dist', types: [], ...extra,
    },
    include: ['src'],
  });

const LIB = {
  'package.json': JSON.stringify({ name: 'optlib', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
  'tsconfig.json': tsconfig({ declaration: true }),
  'src/index.ts': `import { sleep } from 'greenlets';

export interface RetryOptions {
  attempts?: number;
  onRetry?: (attempt: number) => void;
}

export function retry<T>(fn: () => T, options: RetryOptions = {}): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (e) {
      if (i >= (options.attempts ?? 3)) throw e;
      options.onRetry?.(i);
    }
  }
}

export function retryEach<T>(fn: () => T, { attempts = 3, onRetry }: RetryOptions = {}): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (e) {
      if (i >= attempts) throw e;
      onRetry?.(i);
    }
  }
}

export function pause(s: number): void {
  sleep(s);
}
`,
};

const CONSUMER = {
  'package.json': '{"type": "module"}\n',
  'tsconfig.json': tsconfig(),
  'src/main.ts': `import { spawn } from 'greenlets';
import { Event } from 'greenlets/event';
import { retry, retryEach } from 'optlib';

let calls = 0;
const flaky = (): number => {
  calls++;
  if (calls % 2 === 1) throw new Error('flaky');
  return calls;
};

// onRetry blocks until another greenlet sets the event: retry must wait for it before trying again.
const ready = new Event();
spawn(() => {
  console.log('other greenlet runs');
  ready.set();
});
const v = retry(flaky, {
  onRetry: (n) => {
    console.log('retry', n, 'waits');
    ready.wait();
    console.log('retry', n, 'woke');
  },
});
console.log('result', v);

ready.clear();
spawn(() => {
  console.log('other greenlet runs again');
  ready.set();
});
const onRetry = (n: number): void => {
  console.log('retryEach', n, 'waits');
  ready.wait();
  console.log('retryEach', n, 'woke');
};
console.log('result', retryEach(flaky, { onRetry }));

// A plain onRetry: a plain call of retry.
export function quick(): number {
  return retry(flaky, { onRetry: (n) => console.log('plain retry', n) });
}
console.log('result', quick());
`,
};

let lib: string;
let app: string;
beforeAll(async () => {
  lib = tempDir('optlib');
  writeFiles(lib, LIB);
  linkGreenlets(lib);
  const built = await greenlets(['build'], { cwd: lib });
  expect(built.stdout).toBe('');
  expect(built.code).toBe(0);
  // the consumer gets the package as published: package.json and dist/, no sources
  app = tempDir('optapp');
  writeFiles(app, CONSUMER);
  linkGreenlets(app);
  const pkg = path.join(app, 'node_modules', 'optlib');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(lib, 'package.json'), path.join(pkg, 'package.json'));
  fs.cpSync(path.join(lib, 'dist'), path.join(pkg, 'dist'), { recursive: true });
}, 120_000);
afterAll(() => {
  removeTemp(lib);
  removeTemp(app);
});

describe('a library whose callbacks come in an options object', () => {
  it('its .d.ts names the property: @blocking fn options.onRetry, and the destructured one by its name', () => {
    const dts = fs.readFileSync(path.join(lib, 'dist/index.d.ts'), 'utf8');
    expect(dts).toMatch(/\/\*\* @blocking fn options\.onRetry \*\/\s*export declare function retry</);
    expect(dts).toMatch(/\/\*\* @blocking fn onRetry \*\/\s*export declare function retryEach</);
  });

  it('a consumer passing a blocking onRetry waits for it inside retry; a plain onRetry keeps retry a plain call', async () => {
    const built = await greenlets(['build'], { cwd: app });
    expect(built.stdout).toBe('');
    expect(built.code).toBe(0);
    const js = fs.readFileSync(path.join(app, 'dist/main.js'), 'utf8');
    expect(js).not.toContain('adaptSpawn');
    expect(js).toMatch(/return retry\(flaky, \{ onRetry: \(n\) => console\.log\('plain retry', n\) \}\);/);
    const ran = await node(['dist/main.js'], { cwd: app });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe(
      [
        'retry 1 waits',
        'other greenlet runs',
        'retry 1 woke',
        'result 2',
        'retryEach 1 waits',
        'other greenlet runs again',
        'retryEach 1 woke',
        'result 4',
        'plain retry 1',
        'result 6',
        '',
      ].join('\n'),
    );
  });
});
