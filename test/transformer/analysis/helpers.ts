/** Analyse a small real TypeScript program written to a temp dir (with the greenlets stand-in package). */
import ts from 'typescript';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeProgram, type AnalysisOptions } from '../../../src/transformer/analysis/index.js';
import type { CallSite, FileAnalysis, ProgramAnalysis } from '../../../src/transformer/analysis/types.js';
import { functionName } from '../../../src/transformer/analysis/names.js';
import type { GreenletsDiagnostic } from '../../../src/transformer/api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
const fixtures = path.join(repoRoot, 'fixtures/analysis');

export const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  typeRoots: [path.join(repoRoot, 'node_modules/@types')],
  lib: ['lib.es2023.d.ts'],
};

export interface ProjectOptions {
  /** Overrides of the test compiler options (the differential corpus is not written for strict mode). */
  compilerOptions?: ts.CompilerOptions;
  /** Packages to put under node_modules: name → a directory copied as it is. */
  packages?: Record<string, string>;
  /** Analyse even if the program has type errors (the corpus is written to be transpiled, not type-checked). */
  allowTypeErrors?: boolean;
  /** 'stand-in' (default): fixtures/analysis/greenlets; 'real': this package's built dist/ (npm run build). */
  greenlets?: 'stand-in' | 'real';
}

/** Write `files` (relative names → text) into a fresh project dir with node_modules/greenlets and untyped-lib. */
export function writeProject(files: Record<string, string>, opts: ProjectOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-analysis-'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  fs.cpSync(path.join(fixtures, 'untyped-lib'), path.join(dir, 'node_modules', 'untyped-lib'), { recursive: true });
  if (opts.greenlets === 'real') {
    if (!fs.existsSync(path.join(repoRoot, 'dist/index.d.ts'))) throw new Error('dist/ is not built: run npm run build');
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'greenlets'), 'dir');
  } else {
    fs.cpSync(path.join(fixtures, 'greenlets'), path.join(dir, 'node_modules', 'greenlets'), { recursive: true });
  }
  for (const [name, from] of Object.entries(opts.packages ?? {})) fs.cpSync(from, path.join(dir, 'node_modules', name), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

export interface Analyzed {
  dir: string;
  program: ts.Program;
  analysis: ProgramAnalysis;
  sf(name: string): ts.SourceFile;
  file(name: string): FileAnalysis;
  /** Names of the green functions of a file, sorted. */
  green(name: string): string[];
  /** The call site of the call whose source text is `text` ('plain' when it is not in `calls`). */
  call(name: string, text: string): CallSite | 'plain';
  iteration(name: string, text: string, kind?: ts.SyntaxKind): string;
  /** `CODE line:col` of each diagnostic of the file (or of every file). */
  codes(name?: string): string[];
  diagnostics(name?: string): GreenletsDiagnostic[];
  fn(name: string, fnName: string): ts.Node;
  /** analysis.explain of the function named `fnName`, with the test directory taken out of paths. */
  explain(name: string, fnName: string): string[];
  /** `dir/name:line:col` of the first occurrence of `text` in the file (how anonymous functions are named). */
  at(name: string, text: string): string;
  /** The function-like whose source text starts with `text`. */
  fnAt(name: string, text: string): ts.Node;
}

/** Parsed lib and @types declaration files, shared by every program of a test file (they dominate its cost). */
const libCache = new Map<string, ts.SourceFile>();
export function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const get = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const shared = name.endsWith('.d.ts') && (name.includes('/node_modules/typescript/lib/') || name.includes('/node_modules/@types/'));
    if (!shared) return get(name, lang, onError, create);
    const key = `${typeof lang === 'object' ? lang.languageVersion : lang}|${name}`;
    let sf = libCache.get(key);
    if (sf === undefined) {
      sf = get(name, lang, onError, create);
      if (sf) libCache.set(key, sf);
    }
    return sf;
  };
  return host;
}

export function analyze(files: Record<string, string>, options: AnalysisOptions & ProjectOptions = {}): Analyzed {
  const dir = writeProject(files, options);
  const rootNames = Object.keys(files).filter((f) => /\.[cm]?tsx?$/.test(f)).map((f) => path.join(dir, f));
  const opts = { ...compilerOptions, ...options.compilerOptions };
  const program = ts.createProgram(rootNames, opts, cachingHost(opts));
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0 && !options.allowTypeErrors) {
    throw new Error('test program does not type-check:\n' + ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }));
  }
  const analysis = analyzeProgram(program, options);
  const sf = (name: string) => {
    const s = program.getSourceFile(path.join(dir, name));
    if (!s) throw new Error(`no source file ${name}`);
    return s;
  };
  const find = (name: string, pred: (n: ts.Node) => boolean): ts.Node => {
    let found: ts.Node | undefined;
    const s = sf(name);
    const visit = (n: ts.Node): void => {
      if (!found && pred(n)) found = n;
      if (!found) ts.forEachChild(n, visit);
    };
    visit(s);
    if (!found) throw new Error(`not found in ${name}`);
    return found;
  };
  const file = (name: string) => analysis.file(sf(name));
  const diagnostics = (name?: string) =>
    name ? file(name).diagnostics : Object.keys(files).filter((f) => /\.[cm]?tsx?$/.test(f)).flatMap((f) => file(f).diagnostics);
  return {
    dir,
    program,
    analysis,
    sf,
    file,
    green: (name) => [...file(name).green].map((n) => functionName(n)).sort(),
    call(name, text) {
      const s = sf(name);
      const node = find(name, (n) => (ts.isCallExpression(n) || ts.isTaggedTemplateExpression(n) || ts.isNewExpression(n)) && n.getText(s) === text);
      return file(name).calls.get(node) ?? 'plain';
    },
    iteration(name, text, kind) {
      const s = sf(name);
      const node = find(
        name,
        (n) =>
          (kind === undefined ? ts.isForOfStatement(n) || ts.isSpreadElement(n) || ts.isArrayBindingPattern(n) || ts.isArrayLiteralExpression(n) : n.kind === kind) &&
          n.getText(s).startsWith(text),
      );
      return file(name).iterations.get(node) ?? 'plain';
    },
    codes: (name) => diagnostics(name).map((d) => `${d.code} ${d.line}:${d.column}`),
    diagnostics,
    fn(name, fnName) {
      return find(name, (n) => (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body !== undefined && functionName(n) === fnName));
    },
    explain(name, fnName) {
      const node = find(name, (n) => ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body !== undefined && functionName(n) === fnName);
      return analysis.explain(node as never).map((l) => l.split(dir + '/').join(''));
    },
    at(name, text) {
      const s = sf(name);
      const pos = s.text.indexOf(text);
      if (pos < 0) throw new Error(`${JSON.stringify(text)} not in ${name}`);
      const { line, character } = s.getLineAndCharacterOfPosition(pos);
      return `${s.fileName}:${line + 1}:${character + 1}`;
    },
    fnAt(name, text) {
      const s = sf(name);
      return find(name, (n) => ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body !== undefined && n.getText(s).startsWith(text));
    },
  };
}
