/**
 * Green functions passed to code the transform does not own (design.md §4): where the callee ignores the
 * result they are adapted to spawn a greenlet per call (GL1002 info), where it awaits a thenable result likewise
 * (GL1004 info), where it uses the result it is an error (GL1001), untyped parameters get a warning (GL1003),
 * and a Promise executor is refused (GL1005). Checked against the real declarations of @types/node and lib.d.ts.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

/** `CODE callee` of each diagnostic (the callee as the message names it) plus the adapted argument texts. */
function outcome(a: ReturnType<typeof analyze>, file = 'main.ts') {
  return {
    codes: a.diagnostics(file).map((d) => `${d.code} ${/(?:passed to|executor of) (.*?)[,;]/.exec(d.message)?.[1] ?? d.message}`),
    adapted: [...a.file(file).spawnAdapted].map((e) => e.getText()).sort(),
  };
}

describe('callbacks into untransformed code', () => {
  it('result ignored: EventEmitter.on, setTimeout, queueMicrotask, http server.on("request"), createServer, fs.readFile', () => {
    const a = analyze({
      'main.ts': `
import { EventEmitter } from 'node:events';
import http from 'node:http';
import fs from 'node:fs';
import { sleep } from 'greenlets';
const handler = (req: http.IncomingMessage, res: http.ServerResponse) => { sleep(0.1); res.end(req.url); };
export function setup(em: EventEmitter) {
  em.on('data', (chunk: string) => { sleep(0); console.log(chunk); });
  setTimeout(() => { sleep(1); }, 10);
  queueMicrotask(() => sleep(0));
  const server = http.createServer(handler);
  server.on('request', handler);
  fs.readFile('/etc/hostname', (err, data) => { sleep(0); console.log(err, data); });
  return server;
}
`,
    });
    const o = outcome(a);
    expect(o.codes).toEqual([
      'GL1002 em.on',
      'GL1002 setTimeout',
      'GL1002 queueMicrotask',
      'GL1002 http.createServer',
      'GL1002 server.on',
      'GL1002 fs.readFile',
    ]);
    expect(o.adapted).toEqual(
      ['(chunk: string) => { sleep(0); console.log(chunk); }', '() => { sleep(1); }', '() => sleep(0)', 'handler', 'handler', '(err, data) => { sleep(0); console.log(err, data); }'].sort(),
    );
    const d = a.diagnostics('main.ts')[0]!;
    expect(d.category).toBe('info');
    expect(d.message).toMatch(/passed to em\.on, which ignores its callback's result: each call runs it in a new greenlet/);
    // setup itself does not block: it only registers callbacks
    expect(a.green('main.ts')).not.toContain('setup');
  });

  it('result used: Array.prototype.sort comparator, toSorted, String.prototype.replace, a generic mapper — errors', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
import { mapAll, process } from 'untyped-lib';
function slowCompare(a: number, b: number) { sleep(0); return a - b; }
export function f(xs: number[], s: string) {
  xs.sort(slowCompare);
  const ys = xs.toSorted((a, b) => { sleep(0); return b - a; });
  const t = s.replace(/a/g, (m) => { sleep(0); return m.toUpperCase(); });
  const zs = mapAll(xs, (x) => { sleep(0); });
  return [ys, t, zs, process((q) => { sleep(0); return q; })];
}
`,
    });
    const o = outcome(a);
    expect(o.codes).toEqual([
      'GL1001 xs.sort',
      'GL1001 xs.toSorted',
      'GL1001 s.replace',
      'GL1001 mapAll',
      'GL1001 process',
    ]);
    // not adapted: a plain caller of a function that blocks throws BlockingSwitchOutError, as it should
    expect(o.adapted).toEqual([]);
    const d = a.diagnostics('main.ts')[0]!;
    expect(d.category).toBe('error');
    expect(d.message).toMatch(/green function slowCompare is passed to xs\.sort, which uses its callback's result.*Fix:/);
  });

  it('result awaited: promise.then/catch/finally and a callback typed () => void | Promise<void> — spawn per call', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
import { later } from 'untyped-lib';
export function chain(p: Promise<number>) {
  return p
    .then((v) => { sleep(0); return v + 1; })
    .catch((e: unknown) => { sleep(0); return 0; })
    .finally(() => sleep(0));
}
export function defer() { later(() => { sleep(0); }); }
`,
    });
    const o = outcome(a);
    expect(o.codes).toEqual([
      'GL1004 p.then',
      'GL1004 Promise.catch',
      'GL1002 Promise.finally',
      'GL1004 later',
    ]);
    expect(o.adapted).toHaveLength(4);
    expect(a.diagnostics('main.ts')[0]!.message).toMatch(/awaits what its callback returns: each call runs it in a new greenlet and returns that Greenlet, a thenable/);
  });

  it('the Promise executor is refused with a fix', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
export function p() { return new Promise<void>((resolve) => { sleep(1); resolve(); }); }
export function fine() { return new Promise<number>((resolve) => resolve(1)); }
`,
    });
    expect(outcome(a)).toEqual({ codes: ['GL1005 new Promise'], adapted: [] });
    const d = a.diagnostics('main.ts')[0]!;
    expect(d.message).toMatch(/executor of new Promise.*Fix: a Greenlet is a thenable, so use `spawn\(\(\) => \.\.\.\)`/);
    expect(d.column).toBe(a.sf('main.ts').text.split('\n')[2]!.indexOf('(resolve) => {') + 1);
  });

  it('untyped parameters (any, Function): adapted with a warning', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
import { register } from 'untyped-lib';
export function go() {
  register(() => { sleep(0); });
  process.nextTick(() => { sleep(0); });
}
`,
    });
    const o = outcome(a);
    expect(o.codes).toEqual(['GL1003 register', 'GL1003 process.nextTick']);
    expect(o.adapted).toHaveLength(2);
    expect(a.diagnostics('main.ts')[0]!.category).toBe('warning');
  });

  it('the runtime itself (spawn, Greenlet) takes green functions as they are; containers store them', () => {
    const a = analyze({
      'main.ts': `
import { sleep, spawn, Greenlet } from 'greenlets';
const work = () => { sleep(0); };
export function start() {
  const g = spawn(work);
  const h = new Greenlet(work);
  const all: Array<() => void> = [];
  all.push(work);
  new Map<string, () => void>().set('w', work);
  return [g, h, all];
}
`,
    });
    expect(outcome(a)).toEqual({ codes: [], adapted: [] });
  });

  it('a green function reaching untransformed code through a variable or a parameter is adapted where it is passed', () => {
    const a = analyze({
      'main.ts': `
import { EventEmitter } from 'node:events';
import { sleep } from 'greenlets';
function listen(em: EventEmitter, fn: (x: string) => void) { em.on('x', fn); }
export function setup(em: EventEmitter) {
  listen(em, (x) => { sleep(0); console.log(x); });
  listen(em, (x) => console.log(x));
}
`,
    });
    expect(outcome(a)).toEqual({ codes: ['GL1002 em.on'], adapted: ['fn'] });
  });
});
