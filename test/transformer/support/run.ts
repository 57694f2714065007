/**
 * Differential-testing support: compile a TypeScript program plainly (ts.transpileModule) or through the
 * greenlets transform, write it under node_modules/.cache/greenlets-diff/ (beside a node_modules/greenlets
 * link to this package, so the emitted code's `greenlets/...` imports resolve to this project's dist/), and
 * run it in a child `node`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import * as esbuild from 'esbuild';
import type { GreenletsDiagnostic, TransformOptions, TransformResult } from '../../../src/transformer/api.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TMP_ROOT = join(ROOT, 'node_modules/.cache/greenlets-diff');

/** Plain compilation by esbuild (fast, for the random programs): what the program means without greenlets.
 * Class fields with define semantics, as TypeScript's ES2022 output has. */
export function compilePlainFast(code: string): string {
  return esbuild.transformSync(code, {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  }).code;
}

/** Plain compilation: what the program means without greenlets. */
export function compilePlain(code: string, fileName: string): string {
  return ts.transpileModule(code, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    reportDiagnostics: false,
  }).outputText;
}

type TransformFn = (code: string, fileName: string, options?: TransformOptions) => TransformResult;
let transformFn: TransformFn | undefined;
let transformLoadError: unknown;

/** The transform under test (src/transformer/index.ts), loaded lazily so a missing emitter fails the tests
 * that need it with a clear message instead of breaking the plain runner. */
export async function loadTransform(): Promise<TransformFn> {
  if (transformFn) return transformFn;
  if (transformLoadError) throw transformLoadError;
  if (process.env.DIFF_IDENTITY_TRANSFORM) {
    // Checks the harness itself: every comparison must pass when "green" is the plain program.
    transformFn = (code) => ({ code, map: null, diagnostics: [] });
    return transformFn;
  }
  try {
    const mod = (await import('../../../src/transformer/index.js')) as { transform?: TransformFn };
    if (typeof mod.transform !== 'function') throw new Error('src/transformer/index.ts does not export transform()');
    transformFn = mod.transform;
    return transformFn;
  } catch (e) {
    transformLoadError = e;
    throw e;
  }
}

export interface GreenCompiled {
  /** JavaScript to run. */
  js: string;
  /** What transform() returned, before the final type-stripping pass. */
  transformed: string;
  diagnostics: GreenletsDiagnostic[];
}

/** Compile through the transform (its output is JavaScript). */
export async function compileGreen(code: string, fileName: string, options: TransformOptions): Promise<GreenCompiled> {
  const transform = await loadTransform();
  const r = transform(code, fileName, { runtimeModule: runtimeModuleForTests(), ...options });
  return { js: r.code, transformed: r.code, diagnostics: r.diagnostics };
}

/**
 * The emitted code imports the runtime from 'greenlets/emitted' by default. Files under TMP_ROOT resolve
 * `greenlets/...` to this package through the link makeTmpDir puts there, which needs the subpath in
 * package.json "exports"; until it is there, point the import at the built module by absolute URL.
 */
export function runtimeModuleForTests(): string | undefined {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  if (pkg.exports && './emitted' in pkg.exports) return undefined;
  return pathToFileURL(join(ROOT, 'dist/runtime/emitted.js')).href;
}

let built = false;
/** The emitted code imports `greenlets/...`, which resolves to dist/. Build it once if it is missing
 * (`npm test` builds before running vitest). */
export function ensureRuntimeBuilt(): void {
  if (built) return;
  const needed = ['dist/runtime/convention.js', 'dist/runtime/emitted.js', 'dist/index.js'];
  if (needed.some((f) => !existsSync(join(ROOT, f)))) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // tsc exits non-zero on type errors but still emits; the existence check below decides.
    }
    if (!existsSync(join(ROOT, 'dist/runtime/convention.js'))) throw new Error('could not build dist/ (npm run build)');
  }
  built = true;
}

/** A fresh directory under TMP_ROOT for one test file's outputs. */
export function makeTmpDir(label: string): string {
  const dir = join(TMP_ROOT, `${label}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  const link = join(TMP_ROOT, 'node_modules', 'greenlets');
  if (!existsSync(link)) {
    mkdirSync(dirname(link), { recursive: true });
    try {
      symlinkSync(ROOT, link, 'dir');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  writeFileSync(join(TMP_ROOT, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

export function removeTmpDir(dir: string): void {
  if (process.env.KEEP_TMP_DIFF) return;
  rmSync(dir, { recursive: true, force: true });
}

export function writeModule(dir: string, name: string, js: string): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, js);
  return file;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code, or a signal name / 'timeout'. */
  exit: number | string;
}

/** Run `node [nodeArgs] file` with a bounded time. At most `MAX_PARALLEL` children at once. */
export function runNode(file: string, timeoutMs = 15000, nodeArgs: string[] = []): Promise<RunResult> {
  return limit(
    () =>
      new Promise<RunResult>((resolvePromise) => {
        execFile(
          process.execPath,
          [...nodeArgs, file],
          { cwd: dirname(file), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
          (err, stdout, stderr) => {
            let exit: number | string = 0;
            if (err) {
              const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
              exit = e.killed ? 'timeout' : typeof e.code === 'number' ? e.code : e.signal ?? String(e.code);
            }
            resolvePromise({ stdout, stderr, exit });
          },
        );
      }),
  );
}

const MAX_PARALLEL = 3;
let active = 0;
const waiting: Array<() => void> = [];
async function limit<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  active++;
  try {
    return await fn();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

export function fileUrl(file: string): string {
  return pathToFileURL(file).href;
}

/** A short unified-ish diff of two outputs: the first differing line with some context. */
export function firstDifference(a: string, b: string, context = 3): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  if (i === la.length && i === lb.length) return '(identical)';
  const from = Math.max(0, i - context);
  const out: string[] = [`first difference at line ${i + 1}:`];
  for (let k = from; k < i; k++) out.push(`  ${la[k]}`);
  for (let k = i; k < Math.min(la.length, i + context); k++) out.push(`- ${la[k]}`);
  for (let k = i; k < Math.min(lb.length, i + context); k++) out.push(`+ ${lb[k]}`);
  return out.join('\n');
}
