/**
 * The per-file entry (`transform(code, fileName)`) must decide exactly as the whole-program build (design.md
 * §2): it shares one whole-program analysis of the file's tsconfig project, built once per process and reused
 * for every file, and rebuilt when a file changed — the file asked for is compared with the text the analysis
 * read on every request (a bundler may pass edited code), the others by modification time, at most every
 * `recheckMs` (watchers call invalidate() to be exact). Parsed source files are kept across rebuilds, so a
 * rebuild re-parses only what changed.
 */
import ts from 'typescript';
import fs from 'node:fs';
import path from 'node:path';
import type { FileAnalysis, ProgramAnalysis } from './types.js';
import { analyzeProgram, ownSourceFiles, type AnalysisOptions } from './analyze.js';

export interface ProjectInput {
  compilerOptions: ts.CompilerOptions;
  rootNames: readonly string[];
}

export interface ProjectAnalysis {
  /** The whole-program analysis, rebuilt first if it is stale. */
  analysis(): ProgramAnalysis;
  /** Is this file one of the project's: a root of its tsconfig, or (once built) an own file its program imports?
   * Answered without building the program for roots. */
  includes(fileName: string): boolean;
  /** The analysis of one file of the project, with `code` as its text when given (undefined: not in it). */
  fileAnalysis(fileName: string, code?: string): FileAnalysis | undefined;
  /** The program's type errors in one file (after fileAnalysis). */
  semanticDiagnostics(fileName: string): readonly ts.Diagnostic[];
  /** Forget the analysis (a file changed); with a name, also drop that file's parsed source and overlay. */
  invalidate(fileName?: string): void;
  /** How many times the analysis was built (tests, benchmarks). */
  readonly builds: number;
  /** The tsconfig errors, if the project's configuration could not be read. */
  readonly configErrors: readonly ts.Diagnostic[];
}

export interface ProjectAnalysisOptions extends AnalysisOptions {
  /** Minimum time between two modification-time checks of every file (default 250 ms). */
  recheckMs?: number;
}

export function readProject(tsconfig: string): { input: ProjectInput; errors: ts.Diagnostic[] } {
  const errors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.resolve(tsconfig),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d) },
  );
  if (!parsed) return { input: { compilerOptions: {}, rootNames: [] }, errors };
  errors.push(...parsed.errors);
  return { input: { compilerOptions: { ...parsed.options, noEmit: true }, rootNames: parsed.fileNames }, errors };
}

const mtimeOf = (f: string): number => {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return -1;
  }
};

export function createProjectAnalysis(project: string | ProjectInput, options: ProjectAnalysisOptions = {}): ProjectAnalysis {
  const { input, errors } = typeof project === 'string' ? readProject(project) : { input: project, errors: [] };
  const recheckMs = options.recheckMs ?? 250;
  const roots = new Set(input.rootNames.map((f) => path.resolve(f)));
  const host = ts.createCompilerHost(input.compilerOptions, true);
  /** Parsed files by name, with the modification time (or overlay text) they were read at. */
  const parsed = new Map<string, { mtime: number; sf: ts.SourceFile }>();
  /** Texts given to fileAnalysis that differ from the disk. */
  const overlay = new Map<string, string>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const key = path.resolve(fileName);
    const text = overlay.get(key);
    const mtime = text !== undefined ? -2 : mtimeOf(fileName);
    const hit = parsed.get(key);
    if (hit && hit.mtime === mtime && (text === undefined || hit.sf.text === text) && !shouldCreate) return hit.sf;
    const sf = text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (sf) parsed.set(key, { mtime, sf });
    return sf;
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => overlay.get(path.resolve(f)) ?? readFile(f);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => overlay.has(path.resolve(f)) || fileExists(f);

  let program: ts.Program | undefined;
  let analysis: ProgramAnalysis | undefined;
  let own = new Set<string>();
  let builds = 0;
  let checkedAt = 0;

  const build = (): ProgramAnalysis => {
    program = ts.createProgram({ rootNames: input.rootNames, options: input.compilerOptions, host, oldProgram: program });
    analysis = analyzeProgram(program, options);
    own = new Set(ownSourceFiles(program).map((sf) => path.resolve(sf.fileName)));
    builds++;
    checkedAt = Date.now();
    return analysis;
  };
  /** Has a file the analysis read changed on disk (an overlaid one only changes by fileAnalysis)? */
  const changedOnDisk = (): boolean => {
    for (const [name, { mtime }] of parsed) {
      if (mtime === -2 || !own.has(name)) continue;
      if (mtimeOf(name) !== mtime) return true;
    }
    return false;
  };
  const current = (): ProgramAnalysis => {
    if (analysis !== undefined && Date.now() - checkedAt >= recheckMs) {
      checkedAt = Date.now();
      if (changedOnDisk()) analysis = undefined;
    }
    return analysis ?? build();
  };

  return {
    configErrors: errors,
    get builds() {
      return builds;
    },
    analysis: current,
    includes(fileName) {
      const abs = path.resolve(fileName);
      return roots.has(abs) || (program !== undefined && own.has(abs));
    },
    fileAnalysis(fileName, code) {
      const abs = path.resolve(fileName);
      if (code !== undefined) {
        const onDisk = (() => {
          try {
            return fs.readFileSync(abs, 'utf8');
          } catch {
            return undefined;
          }
        })();
        const want = code === onDisk ? undefined : code;
        if (want !== overlay.get(abs)) {
          if (want === undefined) overlay.delete(abs);
          else overlay.set(abs, want);
          analysis = undefined;
        }
      }
      const hit = parsed.get(abs);
      if (analysis !== undefined && hit !== undefined && hit.mtime !== -2 && hit.mtime !== mtimeOf(abs)) analysis = undefined;
      const a = current();
      const sf = a.program.getSourceFile(abs) ?? a.program.getSourceFile(fileName);
      return sf ? a.file(sf) : undefined;
    },
    semanticDiagnostics(fileName) {
      const sf = program?.getSourceFile(path.resolve(fileName)) ?? program?.getSourceFile(fileName);
      return sf && program ? program.getSemanticDiagnostics(sf) : [];
    },
    invalidate(fileName) {
      analysis = undefined;
      if (fileName !== undefined) {
        parsed.delete(path.resolve(fileName));
        overlay.delete(path.resolve(fileName));
      }
    },
  };
}
