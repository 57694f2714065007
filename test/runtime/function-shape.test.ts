/**
 * The plain forms of green functions: the name and length a caller sees, and fast properties (a dictionary-mode
 * function makes every green call through it a hash lookup; see namedFunction in convention.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GREEN, green } from '../../src/runtime/convention.js';
import { fn, fnNew, methods } from '../../src/runtime/emitted.js';
import { adaptSpawn } from '../../src/runtime/adapt.js';

const dist = (f: string) => pathToFileURL(path.resolve(__dirname, '../../dist', f)).href;

describe('plain forms of green functions', () => {
  it('keep the name and the number of parameters', () => {
    const f = green(function* fetchPage(_url: string, _retries: number) {
      return 1;
    });
    expect(f.name).toBe('fetchPage');
    expect(f.length).toBe(2);
    const many = fn(function* (_a: 1, _b: 2, _c: 3, _d: 4, _e: 5, _f: 6, _g: 7) {}, 'seven', 7);
    expect([many.name, many.length]).toEqual(['seven', 7]);
    // an Express-style error handler is told apart by its length: the spawn adapter must keep it
    const handler = fn(function* (_err: unknown, _req: unknown, _res: unknown, _next: unknown) {}, 'onError', 4);
    expect(adaptSpawn(handler).length).toBe(4);
    expect(adaptSpawn(handler).name).toBe('onError');
  });

  it('run with this, arguments and new.target as a plain call', () => {
    const add = fn(
      function* (this: { base: number }, a: number, b: number) {
        return this.base + a + b;
      },
      'add',
      2,
    );
    expect(add.call({ base: 10 }, 1, 2)).toBe(13);
    let seen: unknown = 'unset';
    const made = fnNew(
      function* () {
        seen = 'ran';
      },
      'Made',
      0,
    );
    new (made as any)();
    expect(seen).toBe('ran');
    const o = methods(
      {
        *m(this: { k: number }, x: number) {
          return this.k * x;
        },
        k: 3,
      } as any,
      ['m', 1],
      'Obj',
    );
    expect([o.m.name, o.m.length, o.m(2)]).toEqual(['m', 1, 6]);
    expect(typeof o.m[GREEN]).toBe('function');
  });

  it('have fast properties (runtime primitives and emitted forms)', () => {
    const script = `
      const { green, sleep } = await import(${JSON.stringify(dist('index.js'))});
      const { Queue } = await import(${JSON.stringify(dist('queue.js'))});
      const em = await import(${JSON.stringify(dist('runtime/emitted.js'))});
      const q = new Queue();
      const o = em.methods({ *m() {} }, ['m', 0]);
      const values = { put: q.put, get: q.get, sleep, green: green(function* g(a) {}), fn: em.fn(function* () {}, 'f', 1), method: o.m };
      console.log(JSON.stringify(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, %HasFastProperties(v)]))));
    `;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ put: true, get: true, sleep: true, green: true, fn: true, method: true });
  });
});
