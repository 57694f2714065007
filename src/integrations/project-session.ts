/**
 * One transform session per project, shared by every file a loader or a bundler asks for, so each file gets
 * the decisions of one whole-program analysis (those `greenlets build` makes). The first request of a project
 * analyses it and transforms all of its files into the disk cache; later requests — and later processes,
 * while no file the analysis read has changed — are served from the cache without loading TypeScript.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GreenletsDiagnostic } from '../transformer/api.js';
import { hash, ProjectCache, toolStamp, type CachedFile } from './cache.js';
import { loadClosure } from './load-closure.js';
import { moduleFormat, type ModuleFormat } from './module-format.js';
import { needsCompile, shouldTransform, type ResolvedOptions } from './options.js';
import type { ProjectProgram, ProjectRef, TransformerApi } from '../transformer/index.js';
import { packageTypePaths } from './package-info.js';

/** 'loader': files run by Node, each in the module format Node gives it. 'bundler': ES modules (CommonJS for .cts/.cjs). */
export type SessionMode = 'loader' | 'bundler';

/** The nearest tsconfig.json at or above `dir`, or null. */
export function findTsconfig(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (path.basename(d) === 'node_modules') return null;
    const candidate = path.join(d, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return null;
  }
}

export class ProjectSession {
  readonly cache: ProjectCache;
  private program: ProjectProgram | undefined;
  private tx: TransformerApi | undefined;
  /** This process's results of the current generation (also on disk when the cache is on). */
  private results = new Map<string, { source: string | null; result: CachedFile }>();
  private diagnosticsValue: GreenletsDiagnostic[] = [];
  private checkedValue: Set<string> | undefined;

  constructor(
    readonly ref: ProjectRef,
    readonly options: ResolvedOptions,
    readonly mode: SessionMode,
  ) {
    const dir = ref.tsconfig !== null ? path.dirname(ref.tsconfig) : path.dirname(ref.roots[0] ?? path.join(options.base, 'x'));
    const key = hash(
      toolStamp(),
      mode,
      JSON.stringify(options.transform),
      String(options.include),
      String(options.exclude),
      options.base,
      ref.tsconfig ?? '',
      ref.scope ?? 'project',
      ref.tsconfig === null && mode === 'bundler' ? '' : ref.roots.join('\0'),
    );
    this.cache = new ProjectCache(key, dir, options.cache);
    const m = this.cache.manifest();
    if (m !== null) for (const r of m.roots) if (!ref.roots.includes(r)) ref.roots.push(r);
  }

  private formatFor(tx: TransformerApi, file: string, code: string): ModuleFormat {
    if (this.mode === 'bundler') return /\.c[jt]s$/.test(file) ? 'commonjs' : 'module';
    return moduleFormat(tx.ts, file, code);
  }

  /**
   * The diagnostics the check before a run reports (those of the files the entry loads, or of every file
   * without an entry), from the cache if it is valid; null if the project must be analysed.
   */
  cachedDiagnostics(): GreenletsDiagnostic[] | null {
    return this.cache.manifest()?.diagnostics ?? null;
  }

  /** Was `file` among the files whose diagnostics the check before the run reported? */
  checked(file: string): boolean {
    const m = this.cache.manifest();
    const list = this.checkedValue ?? (m?.checked === undefined ? undefined : new Set(m.checked));
    return list === undefined || list.has(file);
  }

  diagnostics(): GreenletsDiagnostic[] {
    return this.diagnosticsValue;
  }

  /** A result without TypeScript: from this process's results or the disk cache. */
  warm(file: string, code?: string): CachedFile | null {
    const mem = this.results.get(file);
    if (mem !== undefined && (code === undefined || mem.source === code)) return mem.result;
    return this.cache.get(file, undefined, code);
  }

  private getProgram(tx: TransformerApi): ProjectProgram {
    this.tx = tx;
    if (this.program === undefined) this.program = new tx.ProjectProgram(this.ref, this.options.transform, { typePaths: packageTypePaths() });
    else this.program.refresh();
    return this.program;
  }

  /** Analyse the project and transform all of its files (into the cache); returns every diagnostic. */
  buildAll(tx: TransformerApi, extraFile?: string): GreenletsDiagnostic[] {
    const program = this.getProgram(tx);
    if (extraFile !== undefined) {
      program.setOverlay(extraFile, undefined);
      if (program.sourceFile(extraFile) === undefined) program.addRoot(extraFile);
    }
    const results = new Map<string, { source: string; result: CachedFile }>();
    for (const sf of program.ownFiles()) {
      const rewrite = shouldTransform(sf.fileName, this.options);
      if (!rewrite && !(this.mode === 'loader' && needsCompile(sf.fileName, this.options))) continue;
      const format = this.formatFor(tx, sf.fileName, sf.text);
      const r = program.emitFile(sf.fileName, format, undefined, rewrite);
      results.set(sf.fileName, { source: sf.text, result: { ...r, format } });
    }
    // A run reports what the files it loads say; the rest of the program is checked when (if) it is loaded.
    const entry = this.ref.scope === 'entry' ? this.ref.roots[0] : undefined;
    const checked =
      entry === undefined
        ? undefined
        : loadClosure(
            tx.ts,
            entry,
            new Map([...results].map(([f, { result }]) => [f, result.code])),
            (spec, importer) => program.resolveModule(spec, importer),
          );
    const diagnostics: GreenletsDiagnostic[] = [...program.configDiagnostics];
    for (const [file, { result }] of results) if (checked === undefined || checked.has(file)) diagnostics.push(...result.diagnostics);
    const dirs = this.ref.tsconfig !== null ? program.rootDirs : [];
    const roots = [...this.ref.roots];
    this.results = results;
    this.diagnosticsValue = diagnostics;
    this.checkedValue = checked;
    this.cache.write(program.inputFiles(), dirs, roots, results, diagnostics, checked === undefined ? undefined : [...checked]);
    return diagnostics;
  }

  /**
   * The transformed file. `code` is the text to transform when it is not the file on disk (a bundler's earlier
   * plugin changed it); such results are kept in memory only.
   */
  transform(file: string, tx: TransformerApi, code?: string): CachedFile {
    const warm = this.warm(file, code);
    if (warm !== null) return warm;
    const disk = readOrUndefined(file);
    if (code === undefined || code === disk) {
      this.buildAll(tx, file);
      const r = this.results.get(file);
      if (r !== undefined) return r.result;
    }
    // Not the text on disk, or a file the program does not emit: transform it alone, with the project's analysis.
    const program = this.getProgram(tx);
    const text = code ?? disk ?? '';
    const format = this.formatFor(tx, file, text);
    const r = program.emitFile(file, format, code, shouldTransform(file, this.options));
    const result: CachedFile = { ...r, format };
    this.results.set(file, { source: text, result });
    return result;
  }

  transformedCount(): number {
    return this.results.size;
  }

  /** This process's transformed files (what a check on one thread hands to the thread that loads them). */
  exported(): Record<string, CachedFile> {
    const out: Record<string, CachedFile> = {};
    for (const [file, { result }] of this.results) out[file] = result;
    return out;
  }

  checkedList(): string[] | null {
    return this.checkedValue === undefined ? null : [...this.checkedValue];
  }

  /** Take the results another thread made (its check before the run). */
  seed(files: Record<string, CachedFile>, checked: string[] | null): void {
    for (const [file, result] of Object.entries(files)) this.results.set(file, { source: null, result });
    if (checked !== null) this.checkedValue = new Set(checked);
  }

  /** Forget the program (its memory), keeping the results; a later transform builds it again. */
  release(): void {
    this.program = undefined;
    this.tx?.forgetLibraryFiles();
  }

  /** This process's transformed files of one format. */
  transformed(format: ModuleFormat): Record<string, { code: string; map: string | null }> {
    const out: Record<string, { code: string; map: string | null }> = {};
    for (const [file, { result }] of this.results) if (result.format === format) out[file] = { code: result.code, map: result.map };
    return out;
  }

  /** The code of every file known now (this process's results, else the disk cache's), to compare after a change. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const file of Object.keys(this.cache.manifest()?.files ?? {})) {
      const r = this.cache.get(file);
      if (r !== null) out.set(file, r.code);
    }
    for (const [file, { result }] of this.results) out.set(file, result.code);
    return out;
  }

  /** Forget what is known about `file` (a watcher saw it change). */
  invalidate(file: string): void {
    this.results.delete(file);
    this.program?.refresh();
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** JavaScript with its source map inline, as Node reads it (process.setSourceMapsEnabled). */
export function withInlineMap(result: { code: string; map: string | null }): string {
  if (result.map === null) return result.code;
  const b64 = Buffer.from(result.map).toString('base64');
  return `${result.code.replace(/\n?$/, '\n')}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${b64}\n`;
}
