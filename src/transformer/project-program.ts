/**
 * The one per-file path of the transform: the program a file is decided in — the tsconfig's files, or the entry
 * and what it imports (`greenlets run`, the loader, a file in no project) — and its whole-program analysis, so
 * every file is decided as `greenlets build` decides it (design.md §2). Each file is then emitted alone
 * (ts.transpileModule) in the module format its consumer loads it as. transform() (index.ts), the loader, the
 * bundler plugins and Babel all go through it.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { GreenletsDiagnostic, TransformOptions, TransformResult } from './api.js';
import { analyzeProgram } from './analysis/analyze.js';
import { forcedProgramAnalysis } from './analysis/force-green.js';
import type { FileAnalysis, ProgramAnalysis } from './analysis/types.js';
import { filterDiagnostics } from './diagnostics.js';
import { createGreenletsTransformer } from './emit/transformer.js';
import { rekeyAnalysis } from './emit/rekey.js';
import { tsDiagnostics } from './emit/ts-diagnostics.js';
import { importRequireTransformer } from './emit/import-require.js';
import { nodeTypesRoot } from '../integrations/package-info.js';
import { isPathSpecifier, resolveTsStyle } from '../integrations/ts-resolve.js';

/** How a file's emitted JavaScript is loaded: as an ES module or as CommonJS. */
export type ModuleFormat = 'module' | 'commonjs';

export interface ProjectRef {
  /** Absolute path of tsconfig.json, or null for a program of loose files. */
  tsconfig: string | null;
  /** Files that are roots besides the tsconfig's (the entry of `greenlets run`). */
  roots: string[];
  /**
   * 'entry': the program is `roots` and what they import, under the tsconfig's compiler options (its .d.ts
   * files stay in for their global declarations), not every file the tsconfig includes — what `greenlets run`
   * and the loader analyse, so files the program never loads cannot slow it down or stop it.
   * 'project' (default): every file of the tsconfig, as `greenlets build` sees it (bundlers).
   */
  scope?: 'entry' | 'project';
}

/** Parsed declaration files of libraries and of TypeScript itself, shared by every program of the process. */
const libraryFiles = new Map<string, { mtime: number; sf: ts.SourceFile }>();

/** Let the parsed library files go (a process that will not build another program). */
export function forgetLibraryFiles(): void {
  libraryFiles.clear();
}

/** Compiler options of a program with no tsconfig.json: modern ESM, lenient checking (only the analysis reads it). */
export function looseCompilerOptions(dir: string): ts.CompilerOptions {
  const o: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    checkJs: false,
    strict: false,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    jsx: ts.JsxEmit.ReactJSX,
    noEmit: true,
  };
  const types = nodeTypesRoot(dir);
  if (types?.fromPackage) {
    o.typeRoots = [types.root];
    o.types = ['node'];
  }
  // Node's globals come from @types/node when there is one; the DOM's declarations (console, fetch, timers)
  // stand in otherwise. Leaving the DOM out when it is not needed halves the files to parse.
  o.lib = types !== undefined ? ['lib.esnext.d.ts'] : ['lib.esnext.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'];
  return o;
}

/**
 * A program run by Node sees Node's globals, which @types/node declares: when the tsconfig names no `lib`, the
 * DOM that the target's default library brings along (lib.dom.d.ts alone is 1.9 MB, half of what a small
 * program parses) is left out. A tsconfig that lists its libs, or a program without @types/node, keeps them.
 */
function withoutDefaultDom(o: ts.CompilerOptions): ts.CompilerOptions {
  if (o.lib !== undefined || o.noLib === true) return o;
  if (!ts.getAutomaticTypeDirectiveNames(o, ts.sys).includes('node')) return o;
  const lib = ts.getDefaultLibFileName(o);
  return { ...o, lib: [lib === 'lib.d.ts' ? 'lib.es5.d.ts' : lib.replace(/\.full\.d\.ts$/, '.d.ts')] };
}

/** `paths` entries added to the project's own (which win): the integrations point `greenlets` at their copy. */
function withPaths(o: ts.CompilerOptions, extra: Record<string, string[]> | undefined): ts.CompilerOptions {
  if (extra === undefined) return o;
  const own = o.paths ?? {};
  const paths: ts.MapLike<string[]> = { ...own };
  for (const [spec, target] of Object.entries(extra)) if (!(spec in own)) paths[spec] = target;
  return { ...o, paths };
}

export interface ProjectProgramOptions {
  /** Module names resolved for the checker besides the project's `paths` (the integrations: `greenlets/*`). */
  typePaths?: Record<string, string[]>;
  /** analysis() checks the files' modification times at most this often (default: only on refresh()). */
  recheckMs?: number;
}

export class ProjectProgram {
  readonly compilerOptions: ts.CompilerOptions;
  readonly rootNames: string[];
  readonly configDiagnostics: GreenletsDiagnostic[] = [];
  /** TypeScript's reading of the tsconfig, as it reported it. */
  readonly configErrors: ts.Diagnostic[] = [];
  /** How many times the analysis was built (tests, benchmarks). */
  builds = 0;
  private checkedAt = 0;
  /** Directories whose listing decides the root files (a file added there may join the program). */
  readonly rootDirs: string[] = [];
  private readonly host: ts.CompilerHost;
  private readonly parsed = new Map<string, { mtime: number; sf: ts.SourceFile }>();
  private readonly overlays = new Map<string, string>();
  private program: ts.Program | undefined;
  /** The last program built, kept for reuse by the next one even after refresh() dropped `program`. */
  private lastProgram: ts.Program | undefined;
  private analysisCache: ProgramAnalysis | undefined;

  constructor(
    readonly ref: ProjectRef,
    readonly options: TransformOptions,
    readonly programOptions: ProjectProgramOptions = {},
  ) {
    let base: ts.CompilerOptions;
    let fileNames: string[] = [];
    if (ref.tsconfig !== null) {
      const errors: ts.Diagnostic[] = [];
      const parsed = ts.getParsedCommandLineOfConfigFile(ref.tsconfig, undefined, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d),
      });
      if (parsed !== undefined) {
        errors.push(...parsed.errors.filter((e) => e.code !== 18003)); // "no inputs": the entry is added below
        base = parsed.options;
        fileNames = parsed.fileNames;
      } else {
        base = looseCompilerOptions(path.dirname(ref.tsconfig));
      }
      this.configErrors.push(...errors);
      this.configDiagnostics.push(...tsDiagnostics(errors, 'GL9010'));
      // JavaScript files the program imports are analysed too (the loader runs them through the transform).
      base = { ...base, allowJs: true, checkJs: base.checkJs ?? false, noEmit: true };
      if (ref.scope === 'entry') {
        fileNames = fileNames.filter((f) => /\.d\.[cm]?ts$/.test(f));
        base = withoutDefaultDom(base);
      }
      const dirs = new Set<string>([path.dirname(ref.tsconfig)]);
      for (const f of fileNames) {
        for (let d = path.dirname(f); d.startsWith(path.dirname(ref.tsconfig)) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
      }
      // An entry's program does not depend on the folders' listings (its roots are named, not globbed).
      if (ref.scope !== 'entry') this.rootDirs.push(...dirs);
    } else {
      base = looseCompilerOptions(path.dirname(ref.roots[0] ?? process.cwd()));
    }
    this.compilerOptions = withPaths(base, programOptions.typePaths);
    this.rootNames = [...new Set([...fileNames, ...ref.roots.map((r) => path.resolve(r))])];
    this.host = this.createHost();
  }

  private createHost(): ts.CompilerHost {
    const host = ts.createCompilerHost(this.compilerOptions, true);
    const read = host.getSourceFile.bind(host);
    const mtimeOf = (f: string): number => {
      try {
        return fs.statSync(f).mtimeMs;
      } catch {
        return -1;
      }
    };
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const overlay = this.overlays.get(fileName);
      if (overlay !== undefined) return ts.createSourceFile(fileName, overlay, languageVersion, true);
      const library = fileName.endsWith('.d.ts') && (fileName.includes('/node_modules/') || fileName.includes('/typescript/lib/'));
      const cache = library ? libraryFiles : this.parsed;
      const key = library ? `${JSON.stringify(languageVersion)}|${fileName}` : fileName;
      const mtime = mtimeOf(fileName);
      const hit = cache.get(key);
      if (hit !== undefined && hit.mtime === mtime && !shouldCreate) return hit.sf;
      // TypeScript's libs and @types carry no @blocking tags: their JSDoc (a fifth of their parse) is skipped.
      const skipJsDoc = library && (fileName.includes('/typescript/lib/') || fileName.includes('/node_modules/@types/'));
      const version = skipJsDoc
        ? { ...(typeof languageVersion === 'object' ? languageVersion : { languageVersion }), jsDocParsingMode: ts.JSDocParsingMode.ParseNone }
        : languageVersion;
      const sf = read(fileName, version, onError, shouldCreate);
      if (sf !== undefined) cache.set(key, { mtime, sf });
      return sf;
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => this.overlays.has(f) || fileExists(f);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => this.overlays.get(f) ?? readFile(f);
    return host;
  }

  /** The program (built on first use; after refresh() found a change, rebuilt reusing what did not change). */
  getProgram(): ts.Program {
    if (this.program !== undefined) return this.program;
    let previous = this.lastProgram;
    // TypeScript does not follow require() in .ts files; the loader will load those files, so they join the
    // program as roots (a few rounds at most: each round only adds what the new files require).
    for (let round = 0; round < 8; round++) {
      const program = ts.createProgram({ rootNames: [...this.rootNames], options: this.compilerOptions, host: this.host, oldProgram: previous });
      previous = program;
      const required = this.requiredFiles(program).filter((f) => program.getSourceFile(f) === undefined && !this.rootNames.includes(f));
      if (required.length === 0) break;
      this.rootNames.push(...required);
    }
    this.program = previous;
    this.lastProgram = previous;
    this.analysisCache = undefined;
    return this.program!;
  }

  /** Project files named by require('./x') calls in the program's own files. */
  private requiredFiles(program: ts.Program): string[] {
    const out: string[] = [];
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/') || !sf.text.includes('require')) continue;
      const visit = (n: ts.Node): void => {
        if (
          ts.isCallExpression(n) &&
          ts.isIdentifier(n.expression) &&
          n.expression.text === 'require' &&
          n.arguments.length === 1 &&
          ts.isStringLiteralLike(n.arguments[0]!) &&
          isPathSpecifier(n.arguments[0].text)
        ) {
          const file = resolveTsStyle(n.arguments[0].text, sf.fileName);
          if (file !== undefined && /\.(?:[cm]?tsx?|[cm]?jsx?)$/.test(file) && !file.includes('/node_modules/')) out.push(file);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    return out;
  }

  /** Forget the program if a file it parsed changed on disk since; true if so. */
  refresh(): boolean {
    if (this.program === undefined) return false;
    for (const [f, { mtime }] of this.parsed) {
      let now = -1;
      try {
        now = fs.statSync(f).mtimeMs;
      } catch {
        // deleted
      }
      if (now !== mtime) {
        this.program = undefined;
        this.analysisCache = undefined;
        return true;
      }
    }
    return false;
  }

  analysis(): ProgramAnalysis {
    const recheck = this.programOptions.recheckMs;
    if (recheck !== undefined && this.program !== undefined && Date.now() - this.checkedAt >= recheck) {
      this.checkedAt = Date.now();
      this.refresh();
    }
    const program = this.getProgram();
    if (this.analysisCache === undefined || this.analysisCache.program !== program) {
      this.analysisCache = this.options.forceGreen ? forcedProgramAnalysis(program) : analyzeProgram(program, this.options);
      this.builds++;
      this.checkedAt = Date.now();
    }
    return this.analysisCache;
  }

  /** Is this file one of the program's: a root, or (once built) an own file the program imports? */
  includes(fileName: string): boolean {
    const abs = path.resolve(fileName);
    if (this.rootNames.includes(abs)) return true;
    const program = this.program;
    if (program === undefined) return false;
    if (this.ownNames?.program !== program) this.ownNames = { program, names: new Set(this.ownFiles().map((sf) => path.resolve(sf.fileName))) };
    return this.ownNames.names.has(abs);
  }
  private ownNames: { program: ts.Program; names: Set<string> } | undefined;

  /** The program's type errors in one file. */
  semanticDiagnostics(fileName: string): readonly ts.Diagnostic[] {
    const sf = this.sourceFile(path.resolve(fileName));
    return sf === undefined ? [] : this.getProgram().getSemanticDiagnostics(sf);
  }

  /** Forget the analysis (a watcher saw a change); with a name, also that file's parsed text and overlay. */
  invalidate(fileName?: string): void {
    this.program = undefined;
    this.analysisCache = undefined;
    if (fileName !== undefined) {
      this.parsed.delete(path.resolve(fileName));
      this.overlays.delete(path.resolve(fileName));
    }
  }

  /** Files of the program the transform rewrites: its own sources, not declarations or node_modules. */
  ownFiles(): ts.SourceFile[] {
    const program = this.getProgram();
    return program
      .getSourceFiles()
      .filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes('/node_modules/'));
  }

  /** Every file the program read except TypeScript's own lib files: what the analysis could depend on. */
  inputFiles(): string[] {
    const program = this.getProgram();
    const out: string[] = [];
    for (const sf of program.getSourceFiles()) {
      if (program.isSourceFileDefaultLibrary(sf)) continue;
      out.push(sf.fileName);
    }
    if (this.ref.tsconfig !== null) out.push(this.ref.tsconfig);
    return out;
  }

  /** The file a module specifier in `importer` names, as the program resolves it (undefined: none). */
  resolveModule(specifier: string, importer: string): string | undefined {
    return ts.resolveModuleName(specifier, importer, this.compilerOptions, this.host).resolvedModule?.resolvedFileName;
  }

  /** Make `fileName` part of the program (a file nothing statically imports: a dynamic import, a worker). */
  addRoot(fileName: string): void {
    if (this.rootNames.includes(fileName)) return;
    this.rootNames.push(fileName);
    this.ref.roots.push(fileName);
    this.program = undefined;
    this.analysisCache = undefined;
  }

  /** Analyse `fileName` as `code` (a bundler handed text another plugin changed). */
  setOverlay(fileName: string, code: string | undefined): void {
    if (code === undefined ? !this.overlays.has(fileName) : this.overlays.get(fileName) === code) return;
    if (code === undefined) this.overlays.delete(fileName);
    else this.overlays.set(fileName, code);
    this.parsed.delete(fileName);
    this.program = undefined;
    this.analysisCache = undefined;
  }

  sourceFile(fileName: string): ts.SourceFile | undefined {
    return this.getProgram().getSourceFile(fileName);
  }

  /** The analysis of one file, with `code` as its text when given and not the text on disk. */
  fileAnalysis(fileName: string, code?: string): FileAnalysis | undefined {
    if (code !== undefined) this.setOverlay(fileName, code === readOrUndefined(fileName) ? undefined : code);
    let sf = this.sourceFile(fileName);
    if (sf === undefined) {
      this.addRoot(fileName);
      sf = this.sourceFile(fileName);
    }
    return sf === undefined ? undefined : this.analysis().file(sf);
  }

  /** Compiler options for emitting one file alone in `format`. */
  emitOptions(format: ModuleFormat): ts.CompilerOptions {
    const o: ts.CompilerOptions = { ...this.compilerOptions };
    for (const k of [
      'outDir', 'outFile', 'rootDir', 'rootDirs', 'declaration', 'declarationMap', 'declarationDir', 'emitDeclarationOnly',
      'composite', 'incremental', 'tsBuildInfoFile', 'noEmit', 'inlineSourceMap', 'paths', 'baseUrl', 'typeRoots', 'types',
      'allowImportingTsExtensions', 'moduleResolution', 'resolveJsonModule', 'mapRoot', 'sourceRoot',
    ]) {
      delete o[k];
    }
    if (o.target === undefined || o.target < ts.ScriptTarget.ES2015) o.target = ts.ScriptTarget.ES2022;
    o.module = format === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS;
    o.sourceMap = this.options.sourceMap !== false;
    o.inlineSources = this.options.sourceMap !== false;
    return o;
  }

  /**
   * Rewrite one file of the program: the analysis decides, ts.transpileModule prints it in `format`. With
   * `rewrite` false the file is only compiled (a TypeScript file include/exclude keep out of the transform).
   */
  emitFile(fileName: string, format: ModuleFormat, code?: string, rewrite = true): TransformResult {
    if (code !== undefined) {
      const current = this.sourceFile(fileName);
      if (current === undefined || current.text !== code) this.setOverlay(fileName, code);
    }
    const fa = rewrite ? this.fileAnalysis(fileName) : undefined;
    const text = code ?? this.sourceFile(fileName)?.text ?? fs.readFileSync(fileName, 'utf8');
    const diagnostics: GreenletsDiagnostic[] = [];
    let seen = false;
    const before = createGreenletsTransformer(
      (sf) => (fa === undefined ? undefined : rekeyAnalysis(fa, sf)),
      this.options,
      {
        onDiagnostics: (_f, ds) => {
          seen = true;
          diagnostics.push(...ds);
        },
      },
    );
    let out: ts.TranspileOutput;
    try {
      out = ts.transpileModule(text, {
        fileName,
        compilerOptions: this.emitOptions(format),
        reportDiagnostics: true,
        transformers: { before: format === 'module' ? [before, importRequireTransformer] : [before] },
      });
    } catch (e) {
      diagnostics.push({
        code: 'GL9004',
        category: 'error',
        message: `greenlets failed to transform this file: ${(e as Error).stack ?? String(e)}`,
        file: fileName,
        line: 1,
        column: 1,
      });
      out = ts.transpileModule(text, { fileName, compilerOptions: this.emitOptions(format) });
    }
    if (!seen && fa !== undefined) diagnostics.push(...fa.diagnostics);
    const all = [...tsDiagnostics(out.diagnostics ?? [], 'GL9001'), ...diagnostics];
    return {
      code: out.outputText.replace(/\n?\/\/# sourceMappingURL=[^\n]*\n?$/, '\n'),
      map: this.options.sourceMap === false ? null : fixMap(out.sourceMapText, fileName),
      diagnostics: filterDiagnostics(all, this.options.diagnostics ?? 'warning'),
    };
  }
}

/** The original file by its absolute path, so Node (inline maps) and bundlers (chained maps) find it. */
function fixMap(map: string | undefined, fileName: string): string | null {
  if (map === undefined) return null;
  const m = JSON.parse(map) as { sources: string[]; file?: string; sourceRoot?: string };
  m.sources = [fileName];
  delete m.sourceRoot;
  m.file = path.basename(fileName).replace(/\.[cm]?[jt]sx?$/, '.js');
  return JSON.stringify(m);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
