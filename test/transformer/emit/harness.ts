/**
 * Run what the transform emits, for real: each case is transformed, written as .mjs with its source map next to
 * the original .ts, and run in a child `node --enable-source-maps`. Programs import the runtime as RT, the built
 * dist/ (npm run build; its .d.ts carry the @blocking tags the analysis reads).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { transform } from '../../../src/transformer/index.js';
import type { TransformOptions, TransformResult } from '../../../src/transformer/api.js';
import { ensureRuntimeBuilt } from '../support/run.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TMP = join(ROOT, 'node_modules', '.cache', 'greenlets-emit-test');
/** What test programs import the runtime from (`import { sleep } from '${RT}'`). */
export const RT = join(ROOT, 'dist', 'index.js');
export const RUNTIME_MODULE = join(ROOT, 'dist', 'runtime', 'emitted.js');

export function buildRuntime(): void {
  ensureRuntimeBuilt();
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
  results: Record<string, TransformResult>;
}

let counter = 0;

/**
 * Transform and run a program of one or more modules (`files`: name → TypeScript source, the first is the
 * entry). Modules import each other as './name.mjs'.
 */
export function runProgram(files: Record<string, string>, options: TransformOptions = {}, caseName = 'case'): RunResult {
  buildRuntime();
  const dir = join(TMP, 'cases', `${caseName}-${process.pid}-${counter++}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const results: Record<string, TransformResult> = {};
  // Write every source first: the analysis of one file reads the others from disk.
  for (const [name, src] of Object.entries(files)) writeFileSync(join(dir, `${name}.mts`), src.replaceAll('${RT}', RT));
  for (const [name, src] of Object.entries(files)) {
    const tsPath = join(dir, `${name}.mts`);
    const r = transform(src.replaceAll('${RT}', RT), tsPath, { runtimeModule: RUNTIME_MODULE, ...options });
    results[name] = r;
    writeFileSync(join(dir, `${name}.mjs`), `${r.code}//# sourceMappingURL=${name}.mjs.map\n`);
    if (r.map !== null) writeFileSync(join(dir, `${name}.mjs.map`), r.map);
  }
  const entry = join(dir, `${Object.keys(files)[0]}.mjs`);
  const p = spawnSync(process.execPath, ['--enable-source-maps', entry], { encoding: 'utf8', timeout: 15000 });
  return { stdout: p.stdout, stderr: p.stderr, status: p.status, results };
}

/** Run plain TypeScript (no transform) the same way, for comparison. */
export function runPlainProgram(files: Record<string, string>): RunResult {
  buildRuntime();
  const dir = join(TMP, 'cases', `plain-${process.pid}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, src] of Object.entries(files)) {
    const out = ts.transpileModule(src.replaceAll('${RT}', RT), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      fileName: `${name}.mts`,
    });
    writeFileSync(join(dir, `${name}.mjs`), out.outputText);
  }
  const p = spawnSync(process.execPath, [join(dir, `${Object.keys(files)[0]}.mjs`)], { encoding: 'utf8' });
  return { stdout: p.stdout, stderr: p.stderr, status: p.status, results: {} };
}

export { execFileSync };
