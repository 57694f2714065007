/**
 * Per-file paths reach the decisions of the whole-program build (design.md §2): transform(code, file) of a file
 * in a tsconfig project uses the project's whole-program analysis — built once per process, rebuilt when a file
 * changes — so flows from importers count (main.ts passes a green callback to lib.ts's run(cb): run is green).
 * Proven by transforming every file of a multi-file project both ways and comparing the emitted code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProjectTransformer, invalidateProjects, projectOf, transform } from '../../../src/transformer/index.js';
import { repoRoot } from './helpers.js';

const FILES: Record<string, string> = {
  'src/lib.ts': `
export function run(cb: () => void): void { cb(); }
export function each<T>(xs: readonly T[], fn: (x: T) => void): void { for (const x of xs) fn(x); }
export function pure(n: number): number { return n + 1; }
`,
  'src/base.ts': `
export class Station { work(n: number): string { return 'plain ' + n; } }
export function operate(s: Station, n: number): string { return s.work(n); }
`,
  'src/slow.ts': `
import { sleep } from 'greenlets';
import { Station } from './base.js';
export class SlowStation extends Station { override work(n: number): string { sleep(0.001); return 'slow ' + n; } }
`,
  'src/registry.ts': `
export type Handler = (req: string) => string;
export const routes = new Map<string, Handler>();
export function dispatch(path: string, req: string): string { const h = routes.get(path); return h ? h(req) : '404'; }
`,
  'src/main.ts': `
import { sleep } from 'greenlets';
import { run, each, pure } from './lib.js';
import { operate, Station } from './base.js';
import { SlowStation } from './slow.js';
import { routes, dispatch } from './registry.js';
routes.set('/slow', (req) => { sleep(0.001); return req.toUpperCase(); });
routes.set('/fast', (req) => req);
run(() => sleep(0.001));
each([1, 2], (x) => console.log('each', pure(x)));
console.log(operate(new Station(), 1), operate(new SlowStation(), 2), dispatch('/slow', 'a'), dispatch('/fast', 'b'));
`,
};

let dir = '';
const abs = (f: string) => path.join(dir, f);

function writeProject(target: string, withTsconfig: boolean): void {
  fs.mkdirSync(path.join(target, 'node_modules'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(target, 'node_modules/greenlets'), 'dir');
  fs.writeFileSync(path.join(target, 'package.json'), '{ "type": "module" }');
  for (const [f, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(target, f)), { recursive: true });
    fs.writeFileSync(path.join(target, f), text);
  }
  if (withTsconfig) {
    fs.writeFileSync(
      path.join(target, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true,
          types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules/@types')], outDir: 'dist',
        },
        include: ['src'],
      }),
    );
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-perfile-'));
  writeProject(dir, true);
});

describe('transform() of a file in a tsconfig project', () => {
  it('emits, for every file, exactly what the whole-program build emits', () => {
    const whole = createProjectTransformer({ tsconfig: abs('tsconfig.json'), options: { sourceMap: false } });
    for (const f of Object.keys(FILES)) {
      const perFile = transform(fs.readFileSync(abs(f), 'utf8'), abs(f), { sourceMap: false });
      const built = whole.transformFile(abs(f));
      expect(perFile.code, f).toBe(built.code);
      expect(perFile.diagnostics, f).toEqual(built.diagnostics);
    }
  });

  it('sees flows from importers: run, each-with-green, the override in another file, handlers registered elsewhere', () => {
    const lib = transform(FILES['src/lib.ts']!, abs('src/lib.ts'), { sourceMap: false }).code;
    expect(lib).toMatch(/function\* run\$green/);
    // each is given only a plain callback: it stays plain, byte for byte
    expect(lib).toMatch(/export function each\(xs, fn\) \{ for \(const x of xs\)\s+fn\(x\); \}/);
    expect(transform(FILES['src/base.ts']!, abs('src/base.ts'), { sourceMap: false }).code).toMatch(/function\* operate\$green/);
    expect(transform(FILES['src/registry.ts']!, abs('src/registry.ts'), { sourceMap: false }).code).toMatch(/function\* dispatch\$green/);
  });

  it('builds the analysis once for all files of the project', () => {
    const p = projectOf(abs('src/main.ts'))!;
    const before = p.builds;
    for (const f of Object.keys(FILES)) transform(fs.readFileSync(abs(f), 'utf8'), abs(f), { sourceMap: false });
    expect(p.builds).toBe(before);
    expect(projectOf(abs('src/lib.ts'))).toBe(p);
  });

  it('follows changes: code passed in that differs from the disk, and files changed on disk', () => {
    const p = projectOf(abs('src/main.ts'))!;
    const plainMain = FILES['src/main.ts']!.replace('run(() => sleep(0.001));', 'run(() => console.log("plain"));');
    // a bundler hands over edited code: the analysis is rebuilt with it
    expect(transform(plainMain, abs('src/main.ts'), { sourceMap: false }).code).toContain('run(() => console.log("plain"))');
    expect(transform(FILES['src/lib.ts']!, abs('src/lib.ts'), { sourceMap: false }).code).not.toMatch(/run\$green/);
    // back to the disk's text
    transform(FILES['src/main.ts']!, abs('src/main.ts'), { sourceMap: false });
    expect(transform(FILES['src/lib.ts']!, abs('src/lib.ts'), { sourceMap: false }).code).toMatch(/run\$green/);
    // a change on disk, announced by a watcher
    fs.writeFileSync(abs('src/main.ts'), plainMain);
    invalidateProjects(abs('src/main.ts'));
    expect(transform(FILES['src/lib.ts']!, abs('src/lib.ts'), { sourceMap: false }).code).not.toMatch(/run\$green/);
    fs.writeFileSync(abs('src/main.ts'), FILES['src/main.ts']!);
    invalidateProjects(abs('src/main.ts'));
    expect(transform(FILES['src/lib.ts']!, abs('src/lib.ts'), { sourceMap: false }).code).toMatch(/run\$green/);
    expect(p.builds).toBeGreaterThan(1);
  });
});

describe('a file in no project', () => {
  it('falls back to the file and what it imports (importers unseen: run stays plain)', () => {
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-noproject-'));
    writeProject(alone, false);
    expect(projectOf(path.join(alone, 'src/lib.ts'))).toBeUndefined();
    const lib = transform(FILES['src/lib.ts']!, path.join(alone, 'src/lib.ts'), { sourceMap: false }).code;
    expect(lib).not.toMatch(/run\$green/);
    // but what a file imports is seen: main.ts's own calls are decided
    const main = transform(FILES['src/main.ts']!, path.join(alone, 'src/main.ts'), { sourceMap: false }).code;
    expect(main).toMatch(/yield\* .*sleep/);
  });
});
