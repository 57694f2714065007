/** The analysis's internal records, shared by the collector (collect.ts) and the solver (solve.ts). */
import type ts from 'typescript';
import type { FunctionLike } from './types.js';
import type { BuiltinCall } from './builtins.js';
import type { Position } from './positions.js';

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
  /** Blocks whatever its callers pass. False while it only blocks through calls of its own parameters. */
  always: boolean;
  /** Positions (arguments, or properties of arguments) whose green functions make it block (a function green
   * only through callbacks it is given: callers that pass plain ones stay plain). */
  condOn?: Map<Position, Reason>;
  /** Why it blocks (an unconditional reason once there is one). */
  reason?: Reason;
}

export type Reason =
  /** An own declaration tagged @blocking. */
  | { kind: 'tagged' }
  /** A call whose possible targets include the green value `target` (-1: Array.from of a blocking iterable);
   * with `passes`, the target blocks only because this call gives it the green function `value`. */
  | { kind: 'call'; site: Site; target: number; passes?: { value: number; position: Position } }
  /** A call (or a built-in's callback) through the container's own parameter (or a property of it) at
   * `position`, which may be the green function `value`: the container blocks when its caller passes one there. */
  | { kind: 'param'; site: Site; position: Position; value: number }
  /** A known higher-order built-in called with the green callback `target`. */
  | { kind: 'callback'; site: Site; target: number }
  /** A blocking iteration; with `position`, of the container's own parameter there, which is a blocking
   * iterable only when its caller passes one (`count(objs: Iterable<T>)` given `iwait(gs)` or an array). */
  | { kind: 'iteration'; iteration: Iteration; position?: Position };

export interface Site {
  node: ts.CallExpression | ts.TaggedTemplateExpression | ts.NewExpression;
  container: Container;
  /** Flow node whose values are the possible targets, or -1. */
  callee: number;
  /** Targets known without flow (class hierarchy, super calls); used instead of `callee` when set. */
  fixed?: number[];
  /** Argument flow nodes. */
  args: number[];
  /** The argument expressions, aligned with `args` (undefined: a spread, or an argument made up by the
   * analysis): their types say whether a blocking iterable is handed to a parameter of a general type. */
  argExprs?: Array<ts.Expression | undefined>;
  /** A higher-order built-in's call of its callback: the container whose elements the callback is given (its
   * argument at `elementArg`), so a blocking iterable among them is handed on to a parameter of general type. */
  elementsOf?: { holder: ts.Expression; arg: number };
  /** Where the targets' return values go (the call's result, or the callback results of a built-in). */
  result: number;
  /** A call to a root: how it is emitted; `when`: the root blocks only when given green functions at these
   * argument positions (`@blocking fn` in its declaration, as a library compiled by greenlets emits it). */
  root?: { kind: 'green' | 'dynamic'; symbol: ts.Symbol; when?: Position[] };
  /** The one target is statically known (a function declaration, a const function, a class method and all its
   * overrides, a super method): the call may be 'green' rather than 'dynamic'. */
  static: boolean;
  /** Class-hierarchy targets whose property may also be assigned at run time: emit 'dynamic' even if all are green. */
  reassignable?: boolean;
  /** A known higher-order built-in (its callback argument decides). */
  builtin?: BuiltinCall;
  /** `Array.prototype.map.call(recv, cb)` / `.apply(recv, [cb])`: the built-in `builtin` applied to `receiver`, with
   * `args` its own arguments as written (`args` of the site are their flow nodes). */
  applied?: { how: 'call' | 'apply'; receiver: ts.Expression; args: readonly ts.Expression[] };
  /** `f.call(...)`/`f.apply(...)`: a call of the receiver; `f.bind(...)`: makes bound values of the receiver. */
  functionMethod?: 'call' | 'apply' | 'bind';
  /** The callee is declared outside the program's own sources (green callbacks passed to it need care). */
  external?: ts.Declaration;
  /** A thread-blocking call (fs.*Sync …): the declaration and its name. */
  threadBlocker?: { decl: ts.Declaration; name: string };
  /** The expression whose type filters the targets and decides 'dynamic' when nothing else does. */
  calleeExpr?: ts.Expression;
  /** Array.from(blockingIterable): a green built-in call without a callback. */
  collectsBlocking?: boolean;
  /** A container method (`push`, `Map.set`) storing its arguments from this index on: not callbacks. */
  storesFrom?: number;
  /** The properties of object literals written as arguments (`configure({ onEvent: f, handler })`): untransformed
   * code may call them as callbacks, so they are checked as its direct callback arguments are (callbacks.ts). */
  objectArgs?: ObjectArgProperty[];
  /** Library builds: the callee is a property of a parameter of an exported function (`options.onRetry`, a
   * destructured `{ onRetry }`), so what an outside caller passes is among its targets. */
  outsideCallee?: boolean;
  /** Spread argument: arguments from this index on are unknown elements. */
  spreadFrom?: number;
  /** A method call of untransformed code not resolved yet (member-names.ts): resolved only if a green
   * function is passed to it. */
  opaque?: boolean;
  /** Set by the solver: a green target (or green callback) was found. */
  hot: boolean;
  hotTarget?: number;
}

export interface ObjectArgProperty {
  /** The argument's index. */
  arg: number;
  /** The property's name. */
  name: string;
  /** The flow node of its value. */
  node: number;
  /** Its value as written: the initialiser, or the name of a shorthand property or of a method. */
  expr: ts.Expression;
  literal: ts.ObjectLiteralExpression;
}

export interface Iteration {
  /** ForOfStatement, SpreadElement, ArrayBindingPattern or an array-literal assignment target. */
  node: ts.Node;
  iterable: ts.Expression;
  container: Container;
  /** The flow node of the iterable (-1: none): a blocking iterable reaching it makes a general-typed
   * iteration (`objs: Iterable<T>`) block. */
  flow: number;
}

export type Value =
  | { kind: 'fn'; node: FunctionLike; container?: Container }
  | { kind: 'root'; symbol: ts.Symbol; decl: ts.Declaration }
  /** `target.bind(...)` made at `call`: green exactly when `target` is. */
  | { kind: 'bound'; target: number; call: ts.CallExpression; boundArgs: number[] }
  /** Library builds: whatever a caller outside the program passes to an exported function (maybe green). */
  | { kind: 'outside' }
  /** Any blocking iterable (an iwait(), a Queue …) handed to a place of a more general type (`Iterable<T>`,
   * `unknown`, a type parameter): the one value with id BLOCKING_ITERABLE. Not a function: never called. */
  | { kind: 'iterable' };

/** The value id of `{ kind: 'iterable' }` (the collector makes it first). */
export const BLOCKING_ITERABLE = 0;
