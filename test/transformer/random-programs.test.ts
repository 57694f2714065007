/**
 * Random differential testing (issue 3): seeded random programs over the constructs of design.md §3
 * (support/random-program.ts), each run plain and forced green; the traces must be identical.
 *
 * RANDOM_PROGRAMS (default 400) programs from RANDOM_SEED (default 1). To keep the suite fast, programs run in
 * batches (one node per batch, each program a module imported in turn; a batch runs while the next compiles;
 * the plain side is compiled by esbuild); a seed whose section differs — or is missing because its batch
 * crashed — is re-run alone to confirm, and the failure prints the seed, the program, the first difference and
 * the green run's stderr. Compiling stops early at RANDOM_COMPILE_BUDGET_MS (default 30 s) so the whole test
 * stays under a minute on a slow machine; the number actually run is printed.
 *
 * Reproduce one seed: RANDOM_SEED=<seed> RANDOM_PROGRAMS=1 KEEP_TMP_DIFF=1 npx vitest run test/transformer/random-programs.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import { generateProgram } from './support/random-program.js';
import {
  compileGreen,
  compilePlain,
  compilePlainFast,
  ensureRuntimeBuilt,
  fileUrl,
  firstDifference,
  loadTransform,
  makeTmpDir,
  removeTmpDir,
  runNode,
  writeModule,
  type RunResult,
} from './support/run.js';

const COUNT = Number(process.env.RANDOM_PROGRAMS ?? 400);
const FIRST_SEED = Number(process.env.RANDOM_SEED ?? 1);
const BATCH = 20;
const COMPILE_BUDGET_MS = Number(process.env.RANDOM_COMPILE_BUDGET_MS ?? 30000);
const MARK = '@@@seed ';

let dir = '';
let keep = false;

function driver(files: Array<[number, string]>): string {
  const lines = files.map(
    ([seed, f]) =>
      `console.log(${JSON.stringify(MARK + seed)});\ntry { await import(${JSON.stringify(fileUrl(f))}); } catch (e) { console.log('IMPORT FAILED', e && e.message); }`,
  );
  return lines.join('\n') + '\n';
}

function sections(stdout: string): Map<number, string> {
  const out = new Map<number, string>();
  const parts = stdout.split(MARK);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    out.set(Number(part.slice(0, nl)), part.slice(nl + 1));
  }
  return out;
}

/** Run one batch (one node for all its programs); the sections of the programs that ran to the end. */
async function runBatch(batch: Array<[number, string]>, label: string, index: number): Promise<Map<number, string>> {
  const r = await runNode(writeModule(dir, `${label}-driver-${index}.mjs`, driver(batch)), 60000);
  const s = sections(r.stdout);
  // The last section of a batch that died is incomplete: drop it, it is re-run alone.
  if (r.exit !== 0 && s.size) s.delete(batch[s.size - 1][0]);
  return s;
}

describe('random programs: plain vs forceGreen', () => {
  beforeAll(() => {
    dir = makeTmpDir('random');
    // What the programs' tick() pauses with: nothing plainly, sleep(0) (a real suspension) when green.
    writeModule(dir, 'plain/pause.mjs', 'export function pause() {}\n');
    writeModule(dir, 'typecheck/pause.mjs', 'export function pause() {}\n');
    writeModule(dir, 'typecheck/pause.mts', 'export function pause(): void {}\n');
    writeModule(dir, 'green/pause.mjs', "export { sleep as pause } from 'greenlets';\n");
  });
  afterAll(() => {
    if (!keep) removeTmpDir(dir);
  });

  it('the generator is deterministic and its programs type-check and run plainly', async () => {
    expect(generateProgram(42)).toBe(generateProgram(42));
    expect(generateProgram(42)).not.toBe(generateProgram(43));
    const seeds = [FIRST_SEED, FIRST_SEED + 1, FIRST_SEED + 2];
    const files = seeds.map((s) => {
      const f = join(dir, `typecheck/p${s}.ts`);
      writeModule(dir, `typecheck/p${s}.ts`, generateProgram(s));
      return f;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      moduleDetection: ts.ModuleDetectionKind.Force,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).toEqual([]);
    for (const f of files) {
      const r = await runNode(writeModule(dir, f.replace(/\.ts$/, '.mjs').slice(dir.length + 1), compilePlain(readFileSync(f, 'utf8'), f)));
      expect(r.stderr).toBe('');
      expect(r.exit).toBe(0);
      expect(r.stdout).toMatch(/fuel left/);
    }
  }, 60000);

  it(`${COUNT} random programs print the same plain and forced green`, async () => {
    ensureRuntimeBuilt();
    await loadTransform();
    const started = Date.now();
    const plainFiles: Array<[number, string]> = [];
    const greenFiles: Array<[number, string]> = [];
    const sources = new Map<number, string>();
    const transformErrors: string[] = [];
    // Each batch starts running (in child nodes) as soon as it is compiled, while the next one compiles.
    const running: Array<Promise<[Map<number, string>, Map<number, string>]>> = [];
    const launch = () => {
      const i = running.length;
      const p = plainFiles.slice(i * BATCH, (i + 1) * BATCH);
      const g = greenFiles.filter(([seed]) => p.some(([s]) => s === seed));
      if (p.length > 0) running.push(Promise.all([runBatch(p, 'plain', i), runBatch(g, 'green', i)]));
    };
    for (let seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) {
      if (Date.now() - started > COMPILE_BUDGET_MS) break;
      if (plainFiles.length > 0 && plainFiles.length % BATCH === 0 && running.length * BATCH < plainFiles.length) launch();
      // Let the children started so far report (their output is collected by the event loop).
      if (seed % 5 === 0) await new Promise((r) => setImmediate(r));
      const src = generateProgram(seed);
      const name = `p${seed}`;
      sources.set(seed, src);
      writeModule(dir, `src/${name}.ts`, src);
      plainFiles.push([seed, writeModule(dir, `plain/${name}.mjs`, compilePlainFast(src))]);
      try {
        const g = await compileGreen(src, join(dir, `src/${name}.ts`), { forceGreen: true, sourceMap: false });
        greenFiles.push([seed, writeModule(dir, `green/${name}.mjs`, g.js)]);
      } catch (e) {
        transformErrors.push(`seed ${seed}: transform threw ${(e as Error).stack ?? String(e)}`);
      }
    }
    const compiled = plainFiles.length;
    while (running.length * BATCH < plainFiles.length) launch();
    const plain = new Map<number, string>();
    const green = new Map<number, string>();
    for (const [p, g] of await Promise.all(running)) {
      for (const [k, v] of p) plain.set(k, v);
      for (const [k, v] of g) green.set(k, v);
    }

    const mismatches: string[] = [];
    let passed = 0;
    for (const [seed, greenFile] of greenFiles) {
      let p = plain.get(seed);
      let g = green.get(seed);
      let gRun: RunResult | undefined;
      if (p === undefined || g === undefined || p !== g) {
        // Confirm alone (a crash in a batch hides everything after it).
        const pRun = await runNode(plainFiles.find(([s]) => s === seed)![1]);
        gRun = await runNode(greenFile);
        p = pRun.stdout;
        g = gRun.stdout;
        if (p === g && pRun.exit === gRun.exit) {
          passed++;
          continue;
        }
        mismatches.push(
          [
            `seed ${seed}: forced-green output differs (plain exit ${pRun.exit}, green exit ${gRun.exit})`,
            firstDifference(p, g),
            `green stderr:\n${gRun.stderr.split('\n').slice(0, 15).join('\n')}`,
            `program: ${join(dir, `src/p${seed}.ts`)}  emitted: ${greenFile}`,
          ].join('\n'),
        );
      } else passed++;
    }
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    const summary = `random programs: ${compiled} generated (seeds ${FIRST_SEED}..${FIRST_SEED + compiled - 1}), ${passed} identical, ${mismatches.length} differ, ${transformErrors.length} transform failures, ${elapsed}s`;
    console.log(summary);
    writeFileSync(join(dir, 'summary.txt'), summary + '\n');
    if (mismatches.length || transformErrors.length) {
      keep = true;
      const firstSeed = Number(/seed (\d+)/.exec(mismatches[0] ?? transformErrors[0])![1]);
      throw new Error(
        [
          summary,
          ...transformErrors.slice(0, 3),
          ...mismatches.slice(0, 3),
          mismatches.length > 3 ? `... and ${mismatches.length - 3} more: seeds ${mismatches.slice(3).map((m) => /seed (\d+)/.exec(m)![1]).join(', ')}` : '',
          `--- program of seed ${firstSeed} ---`,
          sources.get(firstSeed) ?? '',
        ].join('\n\n'),
      );
    }
    expect(passed).toBe(compiled);
  }, COMPILE_BUDGET_MS + 90000);
});
