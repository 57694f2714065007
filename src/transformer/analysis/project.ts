/**
 * The per-file paths (Node loader, bundlers, Babel) must decide exactly as the whole-program build
 * (design.md §2): they share one whole-program analysis of the file's tsconfig project, built once and reused
 * for every file, and rebuilt when a file it read changed (the asked-for file is checked on every request;
 * watchers call invalidate() for the rest). Parsed source files are cached by modification time, so a rebuild
 * re-parses only what changed (lib .d.ts files are parsed once per process).
 */
import ts from 'typescript';
import path from 'node:path';
import type { FileAnalysis, ProgramAnalysis } from './types.js';
import { analyzeProgram, type AnalysisOptions } from './analyze.js';

export interface ProjectInput {
  compilerOptions: ts.CompilerOptions;
  rootNames: readonly string[];
}

export interface ProjectAnalysis {
  /** The whole-program analysis, rebuilt first if it is stale. */
  analysis(): ProgramAnalysis;
  /** The analysis of one file of the project (undefined if the project does not contain it). */
  fileAnalysis(fileName: string): FileAnalysis | undefined;
  /** Forget the analysis (a file changed); with a name, also drop that file's parsed source. */
  invalidate(fileName?: string): void;
  /** The tsconfig errors, if the project's configuration could not be read. */
  readonly configErrors: readonly ts.Diagnostic[];
}

function readProject(tsconfig: string): { input: ProjectInput; errors: ts.Diagnostic[] } {
  const errors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.resolve(tsconfig),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d) },
  );
  if (!parsed) return { input: { compilerOptions: {}, rootNames: [] }, errors };
  errors.push(...parsed.errors);
  return { input: { compilerOptions: parsed.options, rootNames: parsed.fileNames }, errors };
}

export function createProjectAnalysis(project: string | ProjectInput, options: AnalysisOptions = {}): ProjectAnalysis {
  const { input, errors } = typeof project === 'string' ? readProject(project) : { input: project, errors: [] };
  const host = ts.createCompilerHost(input.compilerOptions, true);
  const parsed = new Map<string, { mtime: number; sf: ts.SourceFile }>();
  const getSourceFile = host.getSourceFile.bind(host);
  const mtimeOf = (f: string): number => ts.sys.getModifiedTime?.(f)?.getTime() ?? 0;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const mtime = mtimeOf(fileName);
    const hit = parsed.get(fileName);
    if (hit && hit.mtime === mtime && !shouldCreate) return hit.sf;
    const sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (sf) parsed.set(fileName, { mtime, sf });
    return sf;
  };
  let program: ts.Program | undefined;
  let analysis: ProgramAnalysis | undefined;

  const build = (): ProgramAnalysis => {
    program = ts.createProgram({ rootNames: input.rootNames, options: input.compilerOptions, host, oldProgram: program });
    return (analysis = analyzeProgram(program, options));
  };
  const isStale = (fileName: string): boolean => {
    const hit = parsed.get(fileName);
    return hit !== undefined && hit.mtime !== mtimeOf(fileName);
  };

  return {
    configErrors: errors,
    analysis() {
      return analysis ?? build();
    },
    fileAnalysis(fileName) {
      const abs = path.resolve(fileName);
      if (analysis && isStale(abs)) analysis = undefined;
      const a = analysis ?? build();
      const sf = a.program.getSourceFile(abs) ?? a.program.getSourceFile(fileName);
      return sf ? a.file(sf) : undefined;
    },
    invalidate(fileName) {
      analysis = undefined;
      if (fileName !== undefined) parsed.delete(path.resolve(fileName));
    },
  };
}
