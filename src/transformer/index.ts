/**
 * `greenlets/transformer`: the programmatic API every integration builds on.
 *   transform(code, fileName, options) → { code, map, diagnostics }   (per file: loader, bundlers, Babel)
 *   createProjectTransformer({ tsconfig, options })                    (whole program: build, tsc plugin)
 *   createGreenletsTransformer / createDeclarationsTransformer         (raw ts.TransformerFactory's)
 */
import path from 'node:path';
import ts from 'typescript';
import type { FileAnalysis, ProgramAnalysis } from './analysis/types.js';
import type { GreenletsDiagnostic, TransformOptions, TransformResult } from './api.js';
import { filterDiagnostics } from './diagnostics.js';
import { forceGreenAnalysis, forcedProgramAnalysis } from './analysis/force-green.js';
import { createGreenletsTransformer, type AnalysisLookup } from './emit/transformer.js';
import { createDeclarationsTransformer } from './emit/declarations.js';
import { singleFileHost } from './emit/program-host.js';
import { analyzeProgram } from './analysis/analyze.js';
import { ProjectProgram } from './project-program.js';
import { rekeyAnalysis } from './emit/rekey.js';
import { tsDiagnostics } from './emit/ts-diagnostics.js';
import { rewriteUnemitted } from './emit/unemitted.js';
import { emitsEsModules, importRequireTransformer } from './emit/import-require.js';

export type { GreenletsDiagnostic, TransformOptions, TransformResult, PatchOptions } from './api.js';
export { formatDiagnostic, filterDiagnostics } from './diagnostics.js';
export { createGreenletsTransformer, createDeclarationsTransformer, type AnalysisLookup };
export { DEFAULT_RUNTIME_MODULE } from './emit/context.js';
// What the integrations use (they load this module only when a file is not in their disk cache).
export { ts, analyzeProgram, forceGreenAnalysis, rekeyAnalysis, tsDiagnostics, rewriteUnemitted };
export type { FileAnalysis, FunctionLike, ProgramAnalysis } from './analysis/types.js';
export { ProjectProgram, forgetLibraryFiles, type ModuleFormat, type ProjectRef, type ProjectProgramOptions } from './project-program.js';

export function analyzeProgramFor(program: ts.Program, options: TransformOptions): ProgramAnalysis {
  return analyzeProgram(program, options);
}

// ---- the project a file belongs to ----------------------------------------------------------------------

/** Per process: one whole-program analysis per tsconfig (and analysis options), reused by every file. */
const projects = new Map<string, ProjectProgram>();
/** tsconfig paths that do not parse, or whose program does not contain a file, are remembered as such. */
const configFiles = new Map<string, boolean>();

function projectFor(tsconfig: string, options: TransformOptions): ProjectProgram {
  const key = `${path.resolve(tsconfig)}\0${JSON.stringify(options.patch ?? null)}`;
  let p = projects.get(key);
  // Files on disk are re-checked at most every 250 ms (watchers call invalidateProjects to be exact).
  if (p === undefined) projects.set(key, (p = new ProjectProgram({ tsconfig: path.resolve(tsconfig), roots: [] }, { patch: options.patch }, { recheckMs: 250 })));
  return p;
}

/**
 * The project whose whole-program analysis decides `fileName`: `options.tsconfig`, or the nearest
 * tsconfig.json above the file whose program contains it (design.md §2: per-file paths decide as the build).
 * Undefined when there is none: the file is then analysed with what it imports.
 */
export function projectOf(fileName: string, options: TransformOptions = {}): ProjectProgram | undefined {
  const file = path.resolve(fileName);
  const candidates: string[] = [];
  if (options.tsconfig !== undefined) candidates.push(path.resolve(options.tsconfig));
  else {
    for (let d = path.dirname(file); ; d = path.dirname(d)) {
      if (path.basename(d) === 'node_modules') break;
      const c = path.join(d, 'tsconfig.json');
      if (configFiles.get(c) ?? ts.sys.fileExists(c)) candidates.push(c);
      if (path.dirname(d) === d) break;
    }
  }
  for (const c of candidates) {
    if (configFiles.get(c) === false) continue;
    const p = projectFor(c, options);
    if (p.configErrors.some((d) => d.category === ts.DiagnosticCategory.Error)) {
      configFiles.set(c, false);
      continue;
    }
    configFiles.set(c, true);
    if (p.includes(file)) return p;
  }
  return undefined;
}

/** Forget the per-process project analyses (all, or the ones that read `fileName`): a watcher saw a change. */
export function invalidateProjects(fileName?: string): void {
  for (const p of projects.values()) if (fileName === undefined || p.includes(fileName)) p.invalidate(fileName);
  if (fileName === undefined) {
    projects.clear();
    configFiles.clear();
  }
}

/** Compiler options of the per-file path: modern JS out, ES modules unless the file is CommonJS by name. */
export function perFileCompilerOptions(fileName: string, options: TransformOptions): ts.CompilerOptions {
  const cjs = /\.c[jt]s$/.test(fileName);
  return {
    target: ts.ScriptTarget.ES2022,
    // What Node 20 has (findLast, Symbol.dispose, …), so the checker resolves those calls (no tsconfig here).
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    // A .cts/.cjs file is CommonJS and resolves as Node does for require() (package exports included);
    // Bundler resolution needs ES module output.
    module: cjs ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
    moduleResolution: cjs ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    esModuleInterop: true,
    allowJs: true,
    sourceMap: options.sourceMap !== false,
    inlineSources: options.sourceMap !== false,
    skipLibCheck: true,
    types: ['node'],
  };
}

/**
 * Transform one file: TypeScript (or JavaScript) in, JavaScript out. With `forceGreen` no checker is needed;
 * otherwise the decisions are those of the whole-program analysis of the file's tsconfig project (built once
 * per process, see projectOf), or — for a file in no project — of a program made of the file and what it
 * imports. The file is then rewritten by ts.transpileModule, so a file with nothing green comes out exactly as
 * transpileModule prints it.
 */
export function transform(code: string, fileName: string, options: TransformOptions = {}): TransformResult {
  const compilerOptions = perFileCompilerOptions(fileName, options);
  const diagnostics: GreenletsDiagnostic[] = [];
  let programAnalysis: ((sf: ts.SourceFile) => FileAnalysis) | undefined;
  if (!options.forceGreen) {
    try {
      const project = projectOf(fileName, options);
      const fromProject = project?.fileAnalysis(fileName, code);
      if (project !== undefined && fromProject !== undefined) {
        programAnalysis = (sf) => rekeyAnalysis(fromProject, sf);
        // Type errors (GL9002); with syntax errors, transpileModule reports those (GL9001) and the rest is noise.
        if (project.analysis().program.getSyntacticDiagnostics(fromProject.sourceFile).length === 0) {
          diagnostics.push(...tsDiagnostics(project.semanticDiagnostics(fileName), 'GL9002', fileName));
        }
      }
      const host = fromProject === undefined ? singleFileHost(fileName, code, compilerOptions) : undefined;
      const program = host && ts.createProgram({ rootNames: [fileName], options: { ...compilerOptions, noEmit: true }, host });
      const analysis = program && analyzeProgramFor(program, options);
      const own = program?.getSourceFile(fileName);
      if (program && analysis && own !== undefined) {
        const fa = analysis.file(own);
        programAnalysis = (sf) => rekeyAnalysis(fa, sf);
        // Type errors (GL9002); with syntax errors, transpileModule reports those (GL9001) and the rest is noise.
        if (program.getSyntacticDiagnostics(own).length === 0) {
          diagnostics.push(...tsDiagnostics(program.getSemanticDiagnostics(own), 'GL9002', fileName));
        }
      }
    } catch (e) {
      diagnostics.push({
        code: 'GL9003',
        category: 'error',
        message: `greenlets could not analyse this file (${(e as Error).message}); it was compiled without the transform.`,
        file: fileName,
        line: 1,
        column: 1,
      });
    }
  }
  const lookup: AnalysisLookup = options.forceGreen ? forceGreenAnalysis : (sf) => programAnalysis?.(sf);
  const before = createGreenletsTransformer(lookup, options, {
    onDiagnostics: (_f, ds) => diagnostics.push(...ds),
  });
  let out: ts.TranspileOutput;
  try {
    out = ts.transpileModule(code, {
      fileName,
      compilerOptions,
      reportDiagnostics: true,
      transformers: { before: emitsEsModules(compilerOptions) ? [before, importRequireTransformer] : [before] },
    });
  } catch (e) {
    diagnostics.push({
      code: 'GL9004',
      category: 'error',
      message: `greenlets failed to transform this file: ${(e as Error).stack ?? e}`,
      file: fileName,
      line: 1,
      column: 1,
    });
    const plain = ts.transpileModule(code, { fileName, compilerOptions });
    out = plain;
  }
  diagnostics.unshift(...tsDiagnostics(out.diagnostics ?? [], 'GL9001', fileName));
  const codeOut = stripMapComment(out.outputText);
  return {
    code: codeOut,
    map: options.sourceMap === false ? null : fixMap(out.sourceMapText, fileName),
    diagnostics: filterDiagnostics(diagnostics, options.diagnostics ?? 'warning'),
  };
}

function stripMapComment(text: string): string {
  // Only the last line can be the comment: look there (a regex anchored at the end retries at every newline).
  const at = text.lastIndexOf('\n//# sourceMappingURL=');
  if (at < 0) return text;
  const end = text.indexOf('\n', at + 1);
  if (end !== -1 && end !== text.length - 1) return text;
  return text.slice(0, at + 1);
}

/** Name the original file by its path as given (bundlers and Node resolve `sources` against the map). */
function fixMap(map: string | undefined, fileName: string): string | null {
  if (map === undefined) return null;
  const m = JSON.parse(map) as { sources: string[]; file?: string };
  m.sources = [fileName];
  m.file = path.basename(fileName).replace(/\.[cm]?[jt]sx?$/, '.js');
  return JSON.stringify(m);
}

// ---- whole program --------------------------------------------------------------------------------------

export interface ProjectTransformerOptions {
  /** Path of tsconfig.json. */
  tsconfig: string;
  options?: TransformOptions;
  /** Reuse an existing program instead of reading tsconfig (watch mode, ts-patch). */
  program?: ts.Program;
}

export interface ProjectTransformer {
  program: ts.Program;
  analysis: ProgramAnalysis;
  transformers: ts.CustomTransformers;
  /** Emit one file of the program in memory. */
  transformFile(fileName: string): TransformResult;
  /**
   * Emit the program as tsc would (outDir, declarations, maps), with the transform; type errors included.
   * Every own file is rewritten, also where no JavaScript is written (noEmit, emitDeclarationOnly, noEmitOnError
   * with errors: TypeScript then runs no `before` transformer), so the rewrite's diagnostics are always there.
   * `writeFile` receives each output instead of the disk (`greenlets check`: nothing written).
   */
  emit(writeFile?: ts.WriteFileCallback): { diagnostics: GreenletsDiagnostic[]; emitSkipped: boolean };
  /** Diagnostics of the analysis and the emitter so far, plus TypeScript's (GL9xxx). */
  diagnostics(): GreenletsDiagnostic[];
}

export function createProjectTransformer(opts: ProjectTransformerOptions): ProjectTransformer {
  const options = opts.options ?? {};
  let program = opts.program;
  const configDiagnostics: GreenletsDiagnostic[] = [];
  if (program === undefined) {
    const parsed = ts.getParsedCommandLineOfConfigFile(opts.tsconfig, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => configDiagnostics.push(...tsDiagnostics([d], 'GL9010')),
    });
    if (parsed === undefined) throw new Error(`greenlets: cannot read ${opts.tsconfig}`);
    configDiagnostics.push(...tsDiagnostics(parsed.errors, 'GL9010'));
    program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  }
  const prog = program;
  const analysis: ProgramAnalysis = options.forceGreen
    ? forcedProgramAnalysis(prog)
    : analyzeProgramFor(prog, options);
  const emitted = new Map<string, GreenletsDiagnostic[]>();
  const rewrite = createGreenletsTransformer((sf) => analysis.file(sf), options, {
    checker: prog.getTypeChecker(),
    onDiagnostics: (f, ds) => emitted.set(f, ds),
  });
  const transformers: ts.CustomTransformers = {
    before: [rewrite],
    afterDeclarations: [createDeclarationsTransformer((sf) => analysis.file(sf))],
  };
  const typeDiagnostics = (): GreenletsDiagnostic[] => [
    ...configDiagnostics,
    ...tsDiagnostics(ts.getPreEmitDiagnostics(prog), 'GL9002'),
  ];
  const all = (): GreenletsDiagnostic[] =>
    filterDiagnostics([...typeDiagnostics(), ...[...emitted.values()].flat()], options.diagnostics ?? 'warning');
  return {
    program: prog,
    analysis,
    transformers,
    transformFile(fileName) {
      const sf = prog.getSourceFile(fileName);
      if (sf === undefined) throw new Error(`greenlets: ${fileName} is not part of the program`);
      let code = '';
      let map: string | null = null;
      prog.emit(
        sf,
        (name, text) => {
          if (name.endsWith('.map')) map = text;
          else if (/\.[cm]?js$/.test(name) || name.endsWith('.jsx')) code = stripMapComment(text);
        },
        undefined,
        false,
        { before: transformers.before },
      );
      const ds = [
        ...tsDiagnostics([...prog.getSyntacticDiagnostics(sf), ...prog.getSemanticDiagnostics(sf)], 'GL9002'),
        ...(emitted.get(sf.fileName) ?? []),
      ];
      return { code, map: options.sourceMap === false ? null : map, diagnostics: filterDiagnostics(ds, options.diagnostics ?? 'warning') };
    },
    emit(writeFile) {
      const r = prog.emit(undefined, writeFile, undefined, false, transformers);
      // The files the emit did not rewrite (it wrote no JavaScript for them): rewritten in memory, for the diagnostics.
      rewriteUnemitted(prog, rewrite, (sf) => emitted.has(sf.fileName));
      const ds = all();
      // noEmitOnError hands back the pre-emit diagnostics that stopped it, which all() already holds.
      const seen = new Set(ds.map(diagnosticKey));
      for (const d of tsDiagnostics(r.diagnostics, 'GL9002')) if (!seen.has(diagnosticKey(d))) ds.push(d);
      return { diagnostics: ds, emitSkipped: r.emitSkipped };
    },
    diagnostics: all,
  };
}

function diagnosticKey(d: GreenletsDiagnostic): string {
  return `${d.code}\0${d.file}\0${d.line}\0${d.column}\0${d.message}`;
}

/** The transformer as the integrations load it (lazily: only when a file is not in their disk cache). */
export type TransformerApi = typeof import('./index.js');
