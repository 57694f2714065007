/**
 * The twins (fixtures/twins): each TypeScript program, run the way users run it — `greenlets run FILE` from a
 * folder of its own, with no tsconfig.json and no node_modules — must print, line for line, what real gevent
 * prints for its Python twin (NAME.out). When gevent is installed (bench/install-gevent.sh), NAME.out itself is
 * checked against a fresh run of NAME.py, so the expectation cannot drift from gevent.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TWINS = join(ROOT, 'fixtures/twins');
const CLI = join(ROOT, 'dist/cli/main.js');
const PYTHON = '/usr/bin/python3';
const cases = readdirSync(TWINS)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const haveGevent = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import gevent'], { encoding: 'utf8' }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'greenlets-twins-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('twins: greenlets prints what gevent prints', () => {
  it('has a Python twin and gevent output for every program', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const name of cases) {
      expect(existsSync(join(TWINS, `${name}.py`)), `${name}.py`).toBe(true);
      expect(existsSync(join(TWINS, `${name}.out`)), `${name}.out`).toBe(true);
    }
  });

  for (const name of cases) {
    it(`${name}.ts under greenlets run prints ${name}.out`, () => {
      const dir = join(work, name);
      rmSync(dir, { recursive: true, force: true });
      spawnSync('mkdir', ['-p', dir]);
      copyFileSync(join(TWINS, `${name}.ts`), join(dir, `${name}.ts`));
      const r = spawnSync(process.execPath, [CLI, 'run', `${name}.ts`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout, `stderr:\n${r.stderr}`).toBe(readFileSync(join(TWINS, `${name}.out`), 'utf8'));
      expect(r.status).toBe(0);
    });

    it.runIf(haveGevent)(`${name}.out is what gevent prints for ${name}.py`, () => {
      const r = spawnSync(PYTHON, [join(TWINS, `${name}.py`)], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout).toBe(readFileSync(join(TWINS, `${name}.out`), 'utf8'));
    });
  }
});
