/** Real processes and real files for the CLI and integration tests. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const REGISTER = path.join(ROOT, 'dist', 'integrations', 'register.js');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh folder under the system temp dir (removed by the caller's afterAll via removeTemp). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), `gl-${prefix}-`));
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

/** node_modules/greenlets → this package, as `npm install greenlets` would leave it (and @types/node if asked). */
export function linkGreenlets(dir: string, opts: { nodeTypes?: boolean } = {}): void {
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  const link = path.join(dir, 'node_modules', 'greenlets');
  if (!fs.existsSync(link)) fs.symlinkSync(ROOT, link, 'dir');
  const types = path.join(dir, 'node_modules', '@types', 'node');
  if (opts.nodeTypes && !fs.existsSync(types)) fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), types, 'dir');
}

export function run(file: string, args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; timeout?: number }): Promise<Result> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    execFile(file, args, { cwd: opts.cwd, env, timeout: opts.timeout ?? 170_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `greenlets ARGS` in `cwd`, with its own disk cache folder unless the test gives one. */
export function greenlets(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; timeout?: number }): Promise<Result> {
  return run(process.execPath, [CLI, ...args], {
    ...opts,
    env: { GREENLETS_CACHE_DIR: path.join(opts.cwd, '.gl-cache'), ...opts.env },
  });
}

/** `node ARGS` (the loader tests: `--import greenlets/register`). */
export function node(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; timeout?: number }): Promise<Result> {
  return run(process.execPath, args, { ...opts, env: { GREENLETS_CACHE_DIR: path.join(opts.cwd, '.gl-cache'), ...opts.env } });
}
