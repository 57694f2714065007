/**
 * Every module of the built runtime can be the first one a program imports (`import { Event } from
 * 'greenlets/event'` before anything else): the runtime's modules import each other in cycles, and module code
 * that runs while a cycle is half evaluated must not touch what is not initialised yet. Each case is a fresh node.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist');
const entries = [
  ...['index', 'event', 'queue', 'lock', 'pool', 'local'].map((n) => `${n}.js`),
  ...readdirSync(join(DIST, 'runtime'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `runtime/${f}`),
];

describe('import order', () => {
  it.each(entries)('dist/%s imported first, then the whole API works', (entry) => {
    const code = `
      await import(${JSON.stringify(pathToFileURL(join(DIST, entry)).href)});
      const gl = await import(${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)});
      const { Event } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'event.js')).href)});
      const ev = new Event();
      const g = gl.spawn(() => { ev.set(); return 7; });
      console.log(await g, ev.isSet());`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('7 true\n');
  });
});
