/**
 * Differential testing (issue 3): every program of fixtures/programs/ is run (a) plain — transpileModule to
 * ES2022 + ESNext modules — and (b) with every function forced green — transform(code, file, { forceGreen: true })
 * — each in a child node. The printed output (and the exit code) must be identical; a mismatch is a bug of the
 * transform (or the runtime), and the failure message shows the first difference and where the emitted code was
 * kept (set KEEP_TMP_DIFF=1 to keep every output).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  compileGreen,
  compilePlain,
  ensureRuntimeBuilt,
  firstDifference,
  makeTmpDir,
  removeTmpDir,
  runNode,
  writeModule,
  type RunResult,
} from './support/run.js';

const PROGRAMS_DIR = join(ROOT, 'fixtures/programs');
const programs = readdirSync(PROGRAMS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort();

let dir = '';
let failures = 0;
const plainRuns = new Map<string, Promise<RunResult>>();

function runPlain(name: string): Promise<RunResult> {
  let p = plainRuns.get(name);
  if (!p) {
    const file = join(PROGRAMS_DIR, name);
    const js = compilePlain(readFileSync(file, 'utf8'), file);
    p = runNode(writeModule(dir, `plain/${name.replace(/\.ts$/, '.mjs')}`, js));
    plainRuns.set(name, p);
  }
  return p;
}

describe('differential corpus: plain vs forceGreen', () => {
  beforeAll(() => {
    ensureRuntimeBuilt();
    dir = makeTmpDir('differential');
  });
  afterAll(() => {
    if (failures === 0) removeTmpDir(dir);
  });

  it('has the corpus the issue asks for', () => {
    expect(programs).toEqual(expect.arrayContaining(['interpreter.ts', 'json.ts', 'adventure.ts']));
    expect(programs.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of programs) {
    it.concurrent(`${name}: runs plainly, deterministic, no stderr`, async () => {
      const r = await runPlain(name);
      expect(r.stderr).toBe('');
      expect(r.exit).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });

    it.concurrent(`${name}: forceGreen prints the same`, async () => {
      const file = join(PROGRAMS_DIR, name);
      const base = name.replace(/\.ts$/, '');
      const plain = await runPlain(name);
      let green;
      try {
        green = await compileGreen(readFileSync(file, 'utf8'), file, { forceGreen: true, sourceMap: false });
      } catch (e) {
        failures++;
        throw new Error(`transform(${name}, { forceGreen: true }) threw: ${(e as Error).stack ?? String(e)}`);
      }
      const errors = green.diagnostics.filter((d) => d.category === 'error');
      const out = writeModule(dir, `green/${base}.mjs`, green.js);
      writeFileSync(join(dir, `green/${base}.transformed.txt`), green.transformed);
      const r = await runNode(out);
      if (r.stdout !== plain.stdout || r.exit !== plain.exit) {
        failures++;
        throw new Error(
          [
            `${name}: forced-green output differs from plain`,
            `exit: plain ${plain.exit}, green ${r.exit}`,
            firstDifference(plain.stdout, r.stdout),
            `green stderr:\n${r.stderr.split('\n').slice(0, 25).join('\n')}`,
            errors.length ? `error diagnostics:\n${errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}` : '',
            `emitted code kept in ${out}`,
          ].join('\n'),
        );
      }
      expect(r.stdout).toBe(plain.stdout);
    });
  }
});
