/**
 * The contract between the analysis (who is green) and the emitter (the rewrite). Nodes are the analysed
 * program's own AST nodes, so lookups are by identity.
 */
import type ts from 'typescript';
import type { GreenletsDiagnostic } from '../api.js';

/** A function-like node the transform may rewrite. */
export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.ConstructorDeclaration;

/** How a call inside green code is emitted. */
export type CallKind =
  /** An ordinary call: left as written. */
  | 'plain'
  /** Every possible target is green: `yield* f[GREEN].call(this, ...)`. */
  | 'green'
  /** Some targets may be green, some plain, or they are unknown: test `[GREEN]` at run time. */
  | 'dynamic';

export interface CallSite {
  kind: CallKind;
  /** A known higher-order built-in called with a green callback (`Array.prototype.map`, `Map.prototype.forEach`,
   * `Array.from`, …): the emitter replaces it with the runtime's green equivalent of that name. */
  builtin?: string;
  /** The built-in is applied to an explicit receiver (`Array.prototype.map.call(recv, cb)`, `.apply(recv, [cb])`):
   * the emitter calls the runtime's `appliedBuiltins[builtin]` with the same `.call`/`.apply` arguments. */
  applied?: 'call' | 'apply';
  /** The one target, when it is a function declaration the emitter can call through its generator directly. */
  direct?: ts.FunctionDeclaration;
}

/** How an iteration (for-of, spread, array destructuring, yield* in user generators excluded) is emitted. */
export type IterationKind = 'plain' | 'green' | 'dynamic';

export interface FileAnalysis {
  sourceFile: ts.SourceFile;
  /** Function-like nodes to rewrite into generator form. */
  green: Set<FunctionLike>;
  /** Calls (CallExpression, TaggedTemplateExpression) inside green code that are not plain. */
  calls: Map<ts.Node, CallSite>;
  /** for-of statements, spread elements and array binding patterns inside green code whose iterable may block. */
  iterations: Map<ts.Node, IterationKind>;
  /** Green function values passed where untransformed code expects a void callback: adapt to spawn-per-call. */
  spawnAdapted: Set<ts.Expression>;
  /** `f.bind(...)` calls anywhere in the file (plain code too) whose receiver may be a green function: the bound
   * function must keep the green form (`[GREEN]`), or a later green call of it would find none. Inside green
   * code the same calls are also in `calls`, as the built-in 'Function.prototype.bind'. */
  bindCalls?: Set<ts.CallExpression>;
  /** Green function-likes that block only when their callers pass green functions as these parameters (a
   * higher-order function green through its callbacks alone). Their .d.ts tag is `@blocking <names>` rather
   * than `@blocking`, so a consumer passing plain callbacks stays plain. */
  conditional?: Map<FunctionLike, string[]>;
  /** The module's top level may block: wrap it in runMain. */
  topLevelBlocks: boolean;
  diagnostics: GreenletsDiagnostic[];
}

export interface ProgramAnalysis {
  program: ts.Program;
  file(sourceFile: ts.SourceFile): FileAnalysis;
  /** Why `fn` is green: a chain of reasons ending at a root (for `greenlets check --explain`). */
  explain(fn: FunctionLike): string[];
  /** Fraction of function-likes in the program's own files that were made green. */
  greenFraction(): number;
}
