/** Build a small project the way `greenlets build` does (createProjectTransformer + emit) and run it. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProjectTransformer } from '../../../src/transformer/index.js';
import type { GreenletsDiagnostic, TransformOptions } from '../../../src/transformer/api.js';
import { repoRoot } from '../analysis/helpers.js';
import { ensureRuntimeBuilt } from '../support/run.js';

export interface Built {
  stdout: string;
  stderr: string;
  status: number | null;
  diagnostics: GreenletsDiagnostic[];
  /** The emitted JavaScript of each source file (by name without extension). */
  js: Record<string, string>;
}

export function buildAndRun(files: Record<string, string>, compilerOptions: Record<string, unknown> = {}, options: TransformOptions = {}): Built {
  ensureRuntimeBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-build-run-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/greenlets'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'src', name), text);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true,
        rootDir: 'src', outDir: 'dist', types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules/@types')], ...compilerOptions,
      },
      include: ['src'],
    }),
  );
  const r = createProjectTransformer({ tsconfig: path.join(dir, 'tsconfig.json'), options }).emit();
  const js: Record<string, string> = {};
  for (const name of Object.keys(files)) {
    const base = name.replace(/\.ts$/, '');
    const out = path.join(dir, 'dist', `${base}.js`);
    if (fs.existsSync(out)) js[base] = fs.readFileSync(out, 'utf8');
  }
  const entry = path.join(dir, 'dist', `${Object.keys(files)[0]!.replace(/\.ts$/, '')}.js`);
  const p = spawnSync(process.execPath, [entry], { encoding: 'utf8', timeout: 60000 });
  return { stdout: p.stdout, stderr: p.stderr, status: p.status, diagnostics: r.diagnostics, js };
}
