/** The analysis's internal records, shared by the collector (collect.ts) and the solver (solve.ts). */
import type ts from 'typescript';
import type { FunctionLike } from './types.js';
import type { BuiltinCall } from './builtins.js';

/**
 * Code that runs as one unit and could contain a suspension: a function-like, a class field initialiser, a
 * static block, or a module's top level. Only 'fn' and 'top' can be made green; the others get a diagnostic.
 */
export type ContainerKind =
  | 'fn'
  | 'ctor'
  | 'getter'
  | 'setter'
  | 'field'
  | 'static'
  | 'async'
  | 'generator'
  /** A #private method: the rewrite cannot attach a generator form to it. */
  | 'private'
  /** A default parameter value: generators cannot yield there. */
  | 'default'
  /** The top level of a script (not a module): no top-level await to run it in the main greenlet. */
  | 'script'
  | 'top';

export interface Container {
  kind: ContainerKind;
  node: FunctionLike | ts.PropertyDeclaration | ts.ClassStaticBlockDeclaration | ts.ParameterDeclaration | ts.SourceFile;
  sourceFile: ts.SourceFile;
  /** The value id of the function-like, or -1. */
  value: number;
  sites: Site[];
  iterations: Iteration[];
  /** Would block: for 'fn' it is green, for 'top' the module's top level blocks, others got a diagnostic. */
  blocks: boolean;
  /** Why it blocks (the first reason found). */
  reason?: Reason;
}

export type Reason =
  /** An own declaration tagged @blocking. */
  | { kind: 'tagged' }
  | { kind: 'call'; site: Site; target: number }
  | { kind: 'callback'; site: Site; target: number }
  | { kind: 'iteration'; iteration: Iteration };

export interface Site {
  node: ts.CallExpression | ts.TaggedTemplateExpression | ts.NewExpression;
  container: Container;
  /** Flow node whose values are the possible targets, or -1. */
  callee: number;
  /** Targets known without flow (class hierarchy, super calls); used instead of `callee` when set. */
  fixed?: number[];
  /** Argument flow nodes. */
  args: number[];
  /** A call to a root: how it is emitted. */
  root?: { kind: 'green' | 'dynamic'; symbol: ts.Symbol };
  /** The one target is statically known (a function declaration, a const function, a class method and all its
   * overrides, a super method): the call may be 'green' rather than 'dynamic'. */
  static: boolean;
  /** A known higher-order built-in (its callback argument decides). */
  builtin?: BuiltinCall;
  /** `f.call(...)`/`f.apply(...)`: a call of the receiver. */
  functionMethod?: 'call' | 'apply';
  /** The callee is declared outside the program's own sources (green callbacks passed to it need care). */
  external?: ts.Declaration;
  /** A thread-blocking call (fs.*Sync …): the declaration and its name. */
  threadBlocker?: { decl: ts.Declaration; name: string };
  /** The expression whose type decides 'dynamic' when nothing else does (an `any` callee). */
  calleeExpr?: ts.Expression;
  /** Array.from(blockingIterable): a green built-in call without a callback. */
  collectsBlocking?: boolean;
  /** Set by the solver: a green target (or green callback) was found. */
  hot: boolean;
  hotTarget?: number;
}

export interface Iteration {
  /** ForOfStatement, SpreadElement, ArrayBindingPattern or an array-literal assignment target. */
  node: ts.Node;
  iterable: ts.Expression;
  container: Container;
}

export type Value =
  | { kind: 'fn'; node: FunctionLike; container?: Container }
  | { kind: 'root'; symbol: ts.Symbol; decl: ts.Declaration };
