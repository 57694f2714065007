/**
 * TypeScript-idiom programs through the whole pipeline (fixtures/programs/idioms): each is copied into a fresh
 * folder with no tsconfig.json and no node_modules, as a user's app would be, and run with the built CLI
 * (`greenlets run NAME.ts`). Its stdout must be NAME.out exactly and its stderr empty. The programs in wrong/
 * are refused before they run, with the diagnostic a user needs (code, file:line:col, what to do instead).
 * known-bugs/, when there is one (none today), holds programs the pipeline still gets wrong (see the comment at
 * the top of each): their test asserts the failure, so it starts failing (and the program moves up a folder)
 * when the bug is fixed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { greenlets, removeTemp, ROOT, tempDir, type Result } from '../cli/support.js';
import { analyze } from './analysis/helpers.js';

const IDIOMS = path.join(ROOT, 'fixtures', 'programs', 'idioms');

/** Every program: NAME.ts beside NAME.out, or a folder NAME/ with main.ts beside NAME.out. */
const programs = fs
  .readdirSync(IDIOMS)
  .filter((f) => f.endsWith('.out'))
  .map((f) => {
    const name = f.slice(0, -'.out'.length);
    const entry = fs.existsSync(path.join(IDIOMS, name, 'main.ts')) ? `${name}/main.ts` : `${name}.ts`;
    return { name, entry };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

let dir: string;
beforeAll(() => {
  dir = tempDir('idioms');
  fs.cpSync(IDIOMS, dir, { recursive: true });
});
afterAll(() => removeTemp(dir));

// Each run is a cold start (TypeScript loaded, the entry analysed); a loaded 2-core machine needs a while.
vi.setConfig({ testTimeout: 180_000 });

/** `greenlets run ENTRY` in the copied folder, with a cache folder of its own (runs go on concurrently). */
function runProgram(entry: string): Promise<Result> {
  const cache = path.join(dir, '.cache', entry.replace(/[/.]/g, '_'));
  return greenlets(['run', entry], { cwd: dir, env: { GREENLETS_CACHE_DIR: cache } });
}

function expected(name: string): string {
  return fs.readFileSync(path.join(IDIOMS, `${name}.out`), 'utf8');
}

describe.concurrent('idiom programs: greenlets run prints the expected output', () => {
  it('there are at least 10 of them, each with its expected output', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
    for (const p of programs) expect(fs.existsSync(path.join(IDIOMS, p.entry)), p.entry).toBe(true);
  });

  for (const { name, entry } of programs) {
    it(entry, async () => {
      const r = await runProgram(entry);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected(name));
      expect(r.code).toBe(0);
    });
  }
});

/** A diagnostic line as `greenlets run` prints it: `file:line:col - error GLnnnn: message`. */
interface Printed {
  file: string;
  line: number;
  column: number;
  category: string;
  code: string;
  message: string;
}

function printed(stderr: string): Printed[] {
  return [...stderr.matchAll(/^(\S+):(\d+):(\d+) - (error|warning|info) (GL\d{4}): (.*)$/gm)].map((m) => ({
    file: m[1]!,
    line: Number(m[2]),
    column: Number(m[3]),
    category: m[4]!,
    code: m[5]!,
    message: m[6]!,
  }));
}

/** 1-based line and column of the first occurrence of `needle` in a wrong/ program. */
function position(file: string, needle: string): { line: number; column: number } {
  const lines = fs.readFileSync(path.join(IDIOMS, 'wrong', file), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not in ${file}`);
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

async function refused(file: string): Promise<Printed[]> {
  const r = await runProgram(`wrong/${file}`);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe(''); // not a line of the program ran
  expect(r.stderr).toContain(`${file} was not run`);
  return printed(r.stderr);
}

describe.concurrent('wrong programs: refused with a diagnostic that says where and what to do', () => {
  it('a getter that blocks: GL1010 at the blocking call, fix: make it a method', async () => {
    const [d, ...more] = await refused('blocking-getter.ts');
    expect(more).toEqual([]);
    expect(d).toMatchObject({ file: 'wrong/blocking-getter.ts', ...position('blocking-getter.ts', 'sleep(0.001)'), category: 'error', code: 'GL1010' });
    expect(d!.message).toMatch(/^getter balance would block: it calls sleep \(.*blocking-getter\.ts:11:5\); property reads cannot suspend\. Fix: make it a method \(`getBalance\(\)`\)/);
  });

  it('a constructor that blocks: GL1012, fix: a green static factory named after the class', async () => {
    const [d, ...more] = await refused('blocking-constructor.ts');
    expect(more).toEqual([]);
    expect(d).toMatchObject({ ...position('blocking-constructor.ts', 'sleep(0.01)'), category: 'error', code: 'GL1012' });
    expect(d!.message).toMatch(/^the constructor of Connection would block: it calls sleep .*constructors cannot suspend\. Fix: .*static create\(\.\.\.\) \{ const x = new Connection\(\.\.\.\)/);
  });

  it('a blocking sort comparator and JSON.parse reviver: GL1001 at each callback, naming the callee', async () => {
    const ds = await refused('blocking-comparator.ts');
    expect(ds.map((d) => [d.code, d.category, d.line, d.column])).toEqual([
      ['GL1001', 'error', ...Object.values(position('blocking-comparator.ts', '(a, b) => priorityOf'))],
      ['GL1001', 'error', ...Object.values(position('blocking-comparator.ts', '(key, value) =>'))],
    ]);
    expect(ds[0]!.message).toMatch(/is passed to Array\.sort, which uses its callback's result.*Fix: compute the values in green code first/);
    // JSON.parse's reviver is typed `(this: any, key: string, value: any) => any`: its result is used, so a
    // blocking reviver is an error, not a spawn-per-call adaptation (which would put Greenlets in the object).
    expect(ds[1]!.message).toMatch(/is passed to JSON\.parse, which uses its callback's result/);
  });

  it('async functions calling blocking code: GL1014, fix: await a spawned greenlet, or `await` instead of waitFor', async () => {
    const [d, w, ...more] = await refused('async-calls-green.ts');
    expect(more).toEqual([]);
    expect(d).toMatchObject({ ...position('async-calls-green.ts', 'slowLookup(key)'), category: 'error', code: 'GL1014' });
    expect(d!.message).toMatch(/^async function handler calls green function slowLookup .*Fix: run it in a greenlet and await that: `await spawn\(\(\) => slowLookup\(\.\.\.\)\)`/);
    expect(w).toMatchObject({ ...position('async-calls-green.ts', 'waitFor(readFile'), category: 'error', code: 'GL1014' });
    expect(w!.message).toMatch(/^async function readConfig calls green function waitFor .*Fix: async code waits for a promise with `await`: write `await promise` instead of `waitFor\(promise\)`\.$/);
  });
});

const knownBugs = fs.existsSync(path.join(IDIOMS, 'known-bugs')) ? fs.readdirSync(path.join(IDIOMS, 'known-bugs')).filter((f) => f.endsWith('.out')) : [];
// vitest refuses a suite without tests: the suite exists only while some program is in known-bugs/.
describe.runIf(knownBugs.length > 0).concurrent('known bugs (the test asserts today\'s wrong behaviour; fix the bug, then move the program up)', () => {
  for (const out of knownBugs) {
    const name = out.slice(0, -'.out'.length);
    it.fails(`known-bugs/${name}.ts does not print its expected output yet`, async () => {
      const r = await runProgram(`known-bugs/${name}.ts`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(fs.readFileSync(path.join(IDIOMS, 'known-bugs', out), 'utf8'));
      expect(r.code).toBe(0);
    });
  }
});

describe('analysis decisions behind the idiom programs (one small program each, on the real runtime declarations)', () => {
  it('an iteration keeps blocking through a type-only wrapper: `iwait(gs) as Iterable<…>` (pool-iterables.ts)', () => {
    const a = analyze(
      {
        'main.ts': `import { iwait, spawn, sleep, Greenlet } from 'greenlets';
export function firstTwo(delays: number[]): string[] {
  const gs = delays.map((d) => spawn(() => { sleep(d); return String(d); }));
  const [a, b] = iwait(gs) as Iterable<Greenlet<string>>;
  const out = [a!.value!, b!.value!];
  for (const g of (iwait(gs) as Iterable<Greenlet<string>>)) out.push(g.value!);
  return out;
}
export function parsed(s: string): number {
  let n = 0;
  for (const x of JSON.parse(s) as number[]) n += x;
  return n;
}
`,
      },
      { greenlets: 'real' },
    );
    expect(a.iteration('main.ts', '[a, b]')).toBe('green');
    expect(a.iteration('main.ts', 'for (const g of')).toBe('green');
    expect(a.iteration('main.ts', 'for (const x of')).toBe('plain'); // an any under a cast is not a blocking iterable
    expect(a.green('main.ts')).not.toContain('parsed');
    expect(a.diagnostics('main.ts')).toEqual([]);
  });

  it("reduce's initial value is a value, not a callback: a green one is not adapted to spawn per call", () => {
    const a = analyze(
      {
        'main.ts': `import { sleep } from 'greenlets';
type Handler = (s: string) => string;
export function pick(hs: Handler[]): Handler {
  return hs.reduce<Handler>((acc) => acc, (s) => { sleep(0); return s; });
}
`,
      },
      { greenlets: 'real' },
    );
    expect(a.diagnostics('main.ts').map((d) => d.code)).toEqual([]);
    expect([...a.file('main.ts').spawnAdapted]).toEqual([]);
  });

  it('a callback typed `(key: string, value: any) => any` uses its result (JSON.parse reviver): GL1001, not GL1003', () => {
    const a = analyze({
      'main.ts': `import { sleep } from 'greenlets';
export function load(text: string): unknown {
  return JSON.parse(text, (key, value) => { sleep(0); return value; });
}
`,
    });
    expect(a.codes('main.ts')).toEqual(['GL1001 3:27']);
    expect(a.diagnostics('main.ts')[0]!.message).toMatch(/passed to JSON\.parse, which uses its callback's result/);
  });
});
