/**
 * The disk cache of transformed files, per project. A project's manifest lists every file its analysis read
 * (with size and modification time), the folders whose listing decides its root files, and where each
 * transformed file is stored; while nothing listed changed, every file of the project is served from disk and
 * TypeScript is never loaded. Entries are named by the manifest's generation, so a stale entry is never read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GreenletsDiagnostic, TransformResult } from '../transformer/api.js';
import type { ModuleFormat } from './module-format.js';
import { packageRoot, packageVersion } from './package-info.js';

export interface CachedFile extends TransformResult {
  format: ModuleFormat;
}

export interface Manifest {
  /** What was stat-ed: [path, size, mtimeMs] (size -1: did not exist). */
  inputs: Array<[string, number, number]>;
  dirs: Array<[string, number]>;
  /** Root files besides the tsconfig's that the program had (entry, dynamically imported files). */
  roots: string[];
  /** Transformed file → [format, sha1 of its source]. */
  files: Record<string, [ModuleFormat, string]>;
  /** The diagnostics the check before a run reports (of the files in `checked`, else of every file). */
  diagnostics: GreenletsDiagnostic[];
  /** The files a run of the entry loads before its first line runs (absent: no entry, every file). */
  checked?: string[];
}

export function hash(...parts: string[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

export function sourceHash(code: string): string {
  return crypto.createHash('sha1').update(code).digest('hex');
}

let toolStampValue: string | undefined;

/** This copy of greenlets: version, and the size and time of every compiled file of the transform and tools. */
export function toolStamp(): string {
  if (toolStampValue !== undefined) return toolStampValue;
  const parts = [packageVersion(), process.version];
  const here = path.dirname(fileURLToPath(import.meta.url));
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[cm]?[jt]s$/.test(e.name)) {
        const st = fs.statSync(p);
        parts.push(`${p}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(path.join(here, '..', 'transformer'));
  walk(here);
  try {
    const tsPkg = path.join(packageRoot, 'node_modules', 'typescript', 'package.json');
    parts.push(fs.statSync(tsPkg).mtimeMs.toString());
  } catch {
    // TypeScript installed elsewhere (a hoisted dependency): the transform's own files still key the cache.
  }
  return (toolStampValue = hash(...parts.sort()));
}

export function cacheRoot(projectDir: string): string {
  if (process.env.GREENLETS_CACHE_DIR) return path.resolve(process.env.GREENLETS_CACHE_DIR);
  if (fs.existsSync(path.join(projectDir, 'node_modules'))) return path.join(projectDir, 'node_modules', '.cache', 'greenlets');
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `greenlets-cache-${uid}`);
}

function statEntry(file: string): [string, number, number] {
  try {
    const st = fs.statSync(file);
    return [file, st.size, st.mtimeMs];
  } catch {
    return [file, -1, 0];
  }
}

function dirEntry(dir: string): [string, number] {
  try {
    return [dir, fs.statSync(dir).mtimeMs];
  } catch {
    return [dir, -1];
  }
}

export class ProjectCache {
  private readonly dir: string;
  private manifestValue: Manifest | null | undefined;
  private generationValue: string | undefined;

  /** `key` names the project (its tsconfig or entry, and the options); `projectDir` places the cache. */
  constructor(
    readonly key: string,
    projectDir: string,
    readonly enabled: boolean,
  ) {
    this.dir = path.join(cacheRoot(projectDir), key);
  }

  private get manifestPath(): string {
    return path.join(this.dir, 'manifest.json');
  }

  /** The manifest, if it is still valid (nothing it lists changed); read once per process. */
  manifest(): Manifest | null {
    if (this.manifestValue !== undefined) return this.manifestValue;
    this.manifestValue = null;
    if (!this.enabled) return null;
    let m: Manifest;
    try {
      m = JSON.parse(fs.readFileSync(this.manifestPath, 'utf8')) as Manifest;
    } catch {
      return null;
    }
    for (const [file, size, mtime] of m.inputs) {
      const [, s, t] = statEntry(file);
      if (s !== size || (size >= 0 && t !== mtime)) return null;
    }
    for (const [dir, mtime] of m.dirs) if (dirEntry(dir)[1] !== mtime) return null;
    this.manifestValue = m;
    this.generationValue = generationOf(m);
    return m;
  }

  private entryPath(generation: string, file: string, format: ModuleFormat): string {
    return path.join(this.dir, `${hash(generation, file, format)}.json`);
  }

  /** A transformed file from a valid manifest, if its source is the one it was made from. */
  get(file: string, format?: ModuleFormat, source?: string): CachedFile | null {
    const m = this.manifest();
    if (m === null || this.generationValue === undefined) return null;
    const rec = m.files[file];
    if (rec === undefined || (format !== undefined && rec[0] !== format)) return null;
    if (source !== undefined && sourceHash(source) !== rec[1]) return null;
    try {
      return JSON.parse(fs.readFileSync(this.entryPath(this.generationValue, file, rec[0]), 'utf8')) as CachedFile;
    } catch {
      return null;
    }
  }

  /** Write a new generation: the manifest built from `inputs`/`dirs` and every file's result. */
  write(
    inputs: string[],
    dirs: string[],
    roots: string[],
    results: Map<string, { source: string; result: CachedFile }>,
    diagnostics: GreenletsDiagnostic[],
    checked?: string[],
  ): void {
    const files: Manifest['files'] = {};
    for (const [file, { source, result }] of results) files[file] = [result.format, sourceHash(source)];
    const m: Manifest = {
      inputs: [...new Set(inputs)].sort().map(statEntry),
      dirs: [...new Set(dirs)].sort().map(dirEntry),
      roots,
      files,
      diagnostics,
      ...(checked === undefined ? {} : { checked }),
    };
    const generation = generationOf(m);
    this.manifestValue = m;
    this.generationValue = generation;
    if (!this.enabled) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const keep = new Set(['manifest.json']);
      for (const [file, { result }] of results) {
        const p = this.entryPath(generation, file, result.format);
        keep.add(path.basename(p));
        atomicWrite(p, JSON.stringify(result));
      }
      atomicWrite(this.manifestPath, JSON.stringify(m));
      for (const name of fs.readdirSync(this.dir)) {
        if (!keep.has(name) && !name.endsWith('.tmp')) fs.rmSync(path.join(this.dir, name), { force: true });
      }
    } catch {
      // A read-only or full disk: the program still runs, only the next start is not faster.
    }
  }
}

function generationOf(m: Manifest): string {
  return hash(JSON.stringify(m.inputs), JSON.stringify(m.dirs), JSON.stringify(m.files));
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

