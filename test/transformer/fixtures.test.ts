/**
 * The transform fixture corpus (fixtures/transform/README.md): each case's emitted JavaScript is compared with
 * its snapshot, its diagnostics with diagnostics.txt, and the program is run in a child
 * `node --enable-source-maps` and its output compared with stdout.txt / stderr.txt.
 *
 * UPDATE_FIXTURES=1 rewrites the snapshots, diagnostics.txt and stdout.txt; FIXTURE=<substring> runs only the
 * matching cases.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { transform, formatDiagnostic } from '../../src/transformer/index.js';
import type { GreenletsDiagnostic, TransformOptions } from '../../src/transformer/api.js';
import { analysisCodes } from '../../src/transformer/analysis/codes.js';
import { emitterCodes } from '../../src/transformer/emit/codes.js';
import { ROOT, ensureRuntimeBuilt, runNode } from './support/run.js';

const CASES_DIR = join(ROOT, 'fixtures/transform');
const RUN_ROOT = join(ROOT, 'node_modules/.cache/greenlets-fixtures');
const UPDATE = process.env.UPDATE_FIXTURES === '1';
const ONLY = process.env.FIXTURE;

interface CaseConfig {
  note?: string;
  options?: TransformOptions;
  run?: boolean;
  exitCode?: number;
}

const cases = readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(CASES_DIR, d.name, 'input.ts')))
  .map((d) => d.name)
  .sort();

function readIf(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Compare `actual` with the file (or write it when updating). `undefined` means the file must not exist. */
function checkFile(file: string, actual: string | undefined, what: string): void {
  const expected = readIf(file);
  if (UPDATE) {
    if (actual === undefined) rmSync(file, { force: true });
    else if (expected !== actual) writeFileSync(file, actual);
    return;
  }
  if (expected === undefined && actual !== undefined) {
    throw new Error(`${what}: ${file} is missing (create it with UPDATE_FIXTURES=1 and review it). Actual:\n${actual}`);
  }
  expect(actual, what).toBe(expected);
}

function sortDiagnostics(ds: GreenletsDiagnostic[]): GreenletsDiagnostic[] {
  return [...ds].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : 1)));
}

beforeAll(() => {
  ensureRuntimeBuilt();
  mkdirSync(join(RUN_ROOT, 'node_modules'), { recursive: true });
  const link = join(RUN_ROOT, 'node_modules', 'greenlets');
  if (!existsSync(link)) symlinkSync(ROOT, link, 'dir');
});

describe('transform fixtures', () => {
  it('cover every diagnostic code the transform can emit', () => {
    const covered = new Set<string>();
    for (const c of cases) {
      const d = readIf(join(CASES_DIR, c, 'diagnostics.txt')) ?? '';
      for (const m of d.matchAll(/ (GL\d{4}):/g)) covered.add(m[1]);
    }
    const all = [...Object.keys(analysisCodes), ...Object.keys(emitterCodes)];
    const missing = all.filter((code) => !covered.has(code));
    // The analysis's codes (GL1xxx, GL3001) get their cases with the analysis: listed, but only the emitter's
    // fail here (except internal failures, which no input should produce: test/transformer/emit covers those).
    const emitterMissing = missing.filter(
      (code) => code in emitterCodes && (emitterCodes as Record<string, { fixture?: boolean }>)[code]!.fixture !== false,
    );
    if (missing.length > 0) console.log(`diagnostic codes without a fixture case: ${missing.join(', ')}`);
    expect(emitterMissing).toEqual([]);
  });

  for (const name of cases) {
    if (ONLY !== undefined && !name.includes(ONLY)) continue;
    it.concurrent(name, async () => {
      const caseDir = join(CASES_DIR, name);
      const config: CaseConfig = JSON.parse(readIf(join(caseDir, 'case.json')) ?? '{}');
      const options: TransformOptions = { diagnostics: 'info', ...config.options };
      const runDir = join(RUN_ROOT, name);
      rmSync(runDir, { recursive: true, force: true });
      mkdirSync(runDir, { recursive: true });
      writeFileSync(join(runDir, 'package.json'), '{ "type": "module" }\n');
      const diagnostics: GreenletsDiagnostic[] = [];
      const files = readdirSync(caseDir).sort();
      for (const file of files) {
        if (file.endsWith('.mjs')) {
          // An untransformed module of the case (plain JavaScript calling into the transformed ones).
          copyFileSync(join(caseDir, file), join(runDir, file));
          continue;
        }
        const m = /^(.*)\.([cm]?)ts$/.exec(file);
        if (m === null || /\.d\.[cm]?ts$/.test(file)) continue;
        const base = m[1]!;
        const js = `${base}.${m[2]}js`;
        const src = join(caseDir, file);
        const r = transform(readFileSync(src, 'utf8'), src, options);
        diagnostics.push(...r.diagnostics);
        checkFile(join(caseDir, `${base}.out.${m[2]}js`), r.code, `${name}/${base}.out.${m[2]}js`);
        writeFileSync(join(runDir, js), r.map !== null ? `${r.code}//# sourceMappingURL=${js}.map\n` : r.code);
        if (r.map !== null) {
          // Point the map at the fixture's own .ts, so stack traces name the original file.
          const map = JSON.parse(r.map) as { sources: string[] };
          map.sources = [resolve(src)];
          writeFileSync(join(runDir, `${js}.map`), JSON.stringify(map));
        }
      }
      // Messages may name files by absolute path: write them relative to the case, as the locations are.
      const diagText = sortDiagnostics(diagnostics)
        .map((d) => formatDiagnostic(d, caseDir).replaceAll(caseDir + '/', '').replaceAll(ROOT + '/', ''))
        .join('\n');
      checkFile(join(caseDir, 'diagnostics.txt'), diagText === '' ? undefined : diagText + '\n', `${name}: diagnostics`);
      if (config.run === false) return;
      const r = await runNode(join(runDir, 'input.js'), 20000, ['--enable-source-maps']);
      const stderr = r.stderr
        .replaceAll(`file://${runDir}/`, './')
        .replaceAll(caseDir + '/', './')
        .replaceAll(runDir + '/', './');
      checkFile(join(caseDir, 'stdout.txt'), r.stdout, `${name}: stdout (stderr was:\n${stderr})`);
      expect(r.exit, `${name}: exit status (stderr:\n${stderr})`).toBe(config.exitCode ?? 0);
      const wanted = readIf(join(caseDir, 'stderr.txt'));
      if (wanted !== undefined) {
        const lines = stderr.split('\n');
        let at = 0;
        for (const w of wanted.split('\n').filter((l) => l !== '')) {
          const i = lines.findIndex((l, k) => k >= at && l.includes(w));
          if (i < 0) throw new Error(`${name}: stderr lacks ${JSON.stringify(w)} (after line ${at + 1}). stderr:\n${stderr}`);
          at = i + 1;
        }
      } else if (!UPDATE) {
        expect(stderr, `${name}: stderr`).toBe('');
      }
    });
  }
});
