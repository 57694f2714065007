/**
 * The rewrite as a `ts.TransformerFactory<ts.SourceFile>`: usable as a `before` transformer in tsc / ts-patch,
 * in `program.emit`, and in `ts.transpileModule` (what `transform()` does per file).
 */
import ts from 'typescript';
import type { FileAnalysis } from '../analysis/types.js';
import type { GreenletsDiagnostic, TransformOptions } from '../api.js';
import { diagnosticAt } from '../diagnostics.js';
import { EmitContext } from './context.js';
import { GREEN_FETCH_MODULE, mayNeedPatch, patchesFetch, patchVisitor } from './patch.js';
import { Rewriter } from './rewriter.js';
import { EmitError } from './emit-error.js';
import { rewriteTopLevel } from './toplevel.js';

/** The analysis of a file of the program being emitted (undefined: leave the file alone). */
export type AnalysisLookup = (sourceFile: ts.SourceFile) => FileAnalysis | undefined;

export interface EmitterHooks {
  /** Receives every diagnostic of every file transformed (the analysis's and the emitter's). */
  onDiagnostics?(fileName: string, diagnostics: GreenletsDiagnostic[]): void;
  checker?: ts.TypeChecker;
}

export function createGreenletsTransformer(
  getAnalysis: AnalysisLookup,
  options: TransformOptions,
  hooks: EmitterHooks = {},
): ts.TransformerFactory<ts.SourceFile> {
  return (tctx) => (sf) => {
    if (sf.isDeclarationFile) return sf;
    try {
      return rewriteFile(tctx, sf, getAnalysis, options, hooks);
    } catch (e) {
      // A construct the rewrite failed on: the file is emitted as written (its green functions then run plainly),
      // with an error that names the construct and where it is, never a crash of the build.
      const at = e instanceof EmitError ? e.node : sf;
      const what = e instanceof EmitError ? e.construct : 'this file';
      const why = e instanceof EmitError ? e.cause : e;
      const detail = why instanceof Error ? (why.stack ?? why.message).split('\n').slice(0, 4).join(' | ') : String(why);
      hooks.onDiagnostics?.(sf.fileName, [
        ...(getAnalysisSafe(getAnalysis, sf)?.diagnostics ?? []),
        diagnosticAt(
          at,
          'GL9004',
          'error',
          `greenlets failed to rewrite ${what}; the file is compiled without the transform, so its green functions run plainly (BlockingSwitchOutError where they block). This is a bug in greenlets: please report it with this file. (${detail})`,
          sf,
        ),
      ]);
      return sf;
    }
  };
}

function getAnalysisSafe(getAnalysis: AnalysisLookup, sf: ts.SourceFile): FileAnalysis | undefined {
  try {
    return getAnalysis(sf);
  } catch {
    return undefined;
  }
}

function rewriteFile(
  tctx: ts.TransformationContext,
  sf: ts.SourceFile,
  getAnalysis: AnalysisLookup,
  options: TransformOptions,
  hooks: EmitterHooks,
): ts.SourceFile {
  {
    const analysis = getAnalysis(sf);
    const patch = mayNeedPatch(sf, options.patch);
    if (analysis === undefined) return sf;
    const esm = isEsmOutput(sf, tctx.getCompilerOptions());
    const nothingGreen =
      analysis.green.size === 0 && analysis.calls.size === 0 && !analysis.topLevelBlocks && (analysis.bindCalls?.size ?? 0) === 0;
    if (nothingGreen && !patch) {
      hooks.onDiagnostics?.(sf.fileName, analysis.diagnostics);
      return sf;
    }
    const ctx = new EmitContext(sf, analysis, options, esm);
    const rw = new Rewriter(ctx, tctx);
    let statements: ts.Statement[];
    const module = ts.isExternalModule(sf);
    if (analysis.topLevelBlocks && esm && module) {
      statements = rewriteTopLevel(rw, sf);
      statements = rw.withScope(sf, statements);
    } else {
      if (analysis.topLevelBlocks && !options.forceGreen) {
        ctx.diagnostics.push(
          diagnosticAt(
            firstBlockingStatement(sf, analysis) ?? sf,
            'GL2001',
            'error',
            esm
              ? 'Top-level code of this file may block, but the file is a script, not a module, so it cannot run under top-level await. Make it a module (add `export {};`), or move the code into a function run with spawn().'
              : 'Top-level code of this file may block, but the output is CommonJS and blocking top-level code needs an ES module (top-level await). Compile to ESM ("module": "nodenext" with "type": "module", or a .mts file), or move the code into a function run with spawn().',
            sf,
          ),
        );
      }
      statements = [...(rw.visitScope(sf) as ts.SourceFile).statements];
    }
    let fetchAlias: string | undefined;
    if (patch) {
      if (patchesFetch(options.patch) && /\bfetch\b/.test(sf.text)) fetchAlias = ctx.names.unique('__glHttp');
      const pv = patchVisitor(tctx, sf, options.patch, fetchAlias);
      statements = statements.map((s) => pv(s) as ts.Statement);
      if (fetchAlias !== undefined && !statements.some((s) => referencesIdentifier(s, fetchAlias!))) fetchAlias = undefined;
    }
    const f = tctx.factory;
    const imports: ts.Statement[] = [];
    if (ctx.usedRuntime) imports.push(namespaceImport(f, ctx.rt, ctx.runtimeModule));
    if (fetchAlias !== undefined) imports.push(namespaceImport(f, fetchAlias, GREEN_FETCH_MODULE));
    // ES imports are hoisted: put them last so the rewritten code keeps its lines. CommonJS requires run in
    // place, so they go first there.
    if (esm) statements = [...statements, ...imports];
    else statements = [...directives(statements), ...imports, ...statements.slice(directives(statements).length)];
    hooks.onDiagnostics?.(sf.fileName, [...analysis.diagnostics, ...ctx.diagnostics]);
    return f.updateSourceFile(sf, statements);
  }
}

function namespaceImport(f: ts.NodeFactory, local: string, from: string): ts.ImportDeclaration {
  return f.createImportDeclaration(
    undefined,
    f.createImportClause(false, undefined, f.createNamespaceImport(f.createIdentifier(local))),
    f.createStringLiteral(from),
  );
}

function directives(statements: readonly ts.Statement[]): ts.Statement[] {
  const out: ts.Statement[] = [];
  for (const s of statements) {
    if (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)) out.push(s);
    else break;
  }
  return out;
}

function referencesIdentifier(node: ts.Node, name: string): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

function firstBlockingStatement(sf: ts.SourceFile, a: FileAnalysis): ts.Node | undefined {
  for (const s of sf.statements) {
    let hit = false;
    const walk = (n: ts.Node): void => {
      if (hit || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (a.calls.has(n) && a.calls.get(n)!.kind !== 'plain') hit = true;
      else ts.forEachChild(n, walk);
    };
    walk(s);
    if (hit) return s;
  }
  return undefined;
}

/** Will this file be emitted as an ES module (so top-level await, and hoisted imports, are available)? */
export function isEsmOutput(sf: ts.SourceFile, options: ts.CompilerOptions): boolean {
  const kind = options.module ?? ts.ModuleKind.CommonJS;
  if (kind === ts.ModuleKind.Node16 || kind === ts.ModuleKind.NodeNext || kind === (ts.ModuleKind as any).Node18 || kind === (ts.ModuleKind as any).Node20) {
    if (sf.impliedNodeFormat !== undefined) return sf.impliedNodeFormat === ts.ModuleKind.ESNext;
    return /\.m[jt]s$/.test(sf.fileName);
  }
  if (kind === ts.ModuleKind.Preserve) return !/\.c[jt]s$/.test(sf.fileName);
  return kind >= ts.ModuleKind.ES2015 && kind <= ts.ModuleKind.ESNext;
}
