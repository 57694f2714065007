/**
 * One walk over the program's own source files: records every container (function-like, field initialiser,
 * static block, module top level), every call site and iteration in it, and builds the flow graph of function
 * values (flow.ts). The checker resolves names (callees, identifiers whose value may be a function); types are
 * asked lazily, only for places a function value actually reaches (typing.ts) — no full type check.
 */
import ts from 'typescript';
import type { PatchOptions } from '../api.js';
import type { FunctionLike } from './types.js';
import { BLOCKING_ITERABLE, type Container, type ContainerKind, type Iteration, type ObjectArgProperty, type Site, type Value } from './model.js';
import { bodyDefaults } from './defaults.js';
import { FlowGraph } from './flow.js';
import { BlockingIterables } from './iterables.js';
import { Hierarchy } from './hierarchy.js';
import { MemberNames } from './member-names.js';
import { Typing } from './typing.js';
import { ElementFields } from './elements.js';
import { argumentParameters, PropertyPositions, type Position } from './positions.js';
import { blockingPositions, hasJSDocTag, isAbstractDeclaration, resolveAlias, symbolHasTag } from './tags.js';
import {
  declaringInterface,
  elementArgsFrom,
  functionMethod,
  higherOrderBuiltin,
  isContainerInterface,
  objectValuesMethod,
  threadBlocker,
} from './builtins.js';

export function isFunctionLikeNode(node: ts.Node): node is FunctionLike {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.Constructor:
      return true;
  }
  return false;
}

/** Does a binding pattern have a default value somewhere inside (`{ a = 1 }`, `[x, { y = f() }]`)? */
function hasPatternDefault(name: ts.BindingName): boolean {
  if (ts.isIdentifier(name)) return false;
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    if (el.initializer || hasPatternDefault(el.name)) return true;
    if (el.propertyName && ts.isComputedPropertyName(el.propertyName)) return true;
  }
  return false;
}

/** A flow node's name for GREENLETS_FLOW_TRACE. */
function nodeLabel(key: ts.Symbol | ts.Node): string {
  const node = (key as ts.Node).kind !== undefined ? (key as ts.Node) : (key as ts.Symbol).valueDeclaration ?? (key as ts.Symbol).declarations?.[0];
  const name = (key as ts.Node).kind !== undefined ? node!.getText().slice(0, 40).replace(/\s+/g, ' ') : (key as ts.Symbol).name;
  if (!node) return name;
  const sf = node.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${name} @${sf.fileName.replace(/^.*\/(src|test|bench)\//, '$1/')}:${line + 1}:${character + 1}`;
}

export function skipOuter(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

function propName(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** `e as T`, `<T>e`, `e satisfies T` (under parentheses and `!`): a type-only wrapper that may widen e's type. */
function hasTypeWrapper(e: ts.Expression): boolean {
  for (;;) {
    if (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) return true;
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else return false;
  }
}

/** A default value that gives no property `prop` (`options = {}`): the property is what the caller passed. */
function lacksProperty(init: ts.Expression, prop: string): boolean {
  const e = skipOuter(init);
  return ts.isObjectLiteralExpression(e) && e.properties.every((p) => !ts.isSpreadAssignment(p) && propName(p.name) !== prop);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

function isFunctionExpr(e: ts.Expression | undefined): e is ts.ArrowFunction | ts.FunctionExpression {
  if (!e) return false;
  const s = skipOuter(e);
  return ts.isArrowFunction(s) || ts.isFunctionExpression(s);
}

/** `a`, `this`, `a.b.c`: a receiver whose type is its declaration's, cheap to resolve. */
function isSimpleReceiver(e: ts.Expression): boolean {
  for (;;) {
    if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else return false;
  }
}

function baseClassExpression(cls: ts.ClassLikeDeclaration | undefined): ts.Expression | undefined {
  const h = cls?.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  return h?.types[0]?.expression;
}

/** `this: T`, a parameter in the declaration only. */
function isThisParameter(p: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(p.name) && p.name.text === 'this';
}

/** What a construction runs: an own constructor, an untransformed declaration, or nothing (neither). */
interface Construction {
  own?: ts.ConstructorDeclaration;
  external?: ts.Declaration;
}

export interface CollectOptions {
  patch?: boolean | PatchOptions;
  /** A library: its exported functions may be called from outside the program, with green callbacks. */
  library?: boolean;
  /** Decides whether an untransformed declaration knows the green calling convention (tags.ts acceptsGreen). */
  acceptsGreen?: (decl: ts.Declaration) => boolean;
}

export class Collector {
  readonly flow = new FlowGraph();
  readonly values: Value[] = [];
  readonly containers: Container[] = [];
  readonly sites: Site[] = [];
  readonly iterations: Iteration[] = [];
  readonly fileContainers = new Map<ts.SourceFile, Container>();
  readonly containerOf = new Map<ts.Node, Container>();
  /** Containers that are roots themselves (an own declaration tagged @blocking). */
  readonly rootContainers: Container[] = [];
  /** `f.bind(...)` sites anywhere (the emitter keeps the green form of what they bind). */
  readonly bindSites: Site[] = [];
  /** `new f(...)` where `f` is not a class: a function value called as a constructor (GL1020 when green). */
  readonly constructs: Array<{ node: ts.NewExpression; callee: number; container: Container }> = [];
  /** Bound values made from each value (green exactly when it is). */
  readonly boundOf = new Map<number, number[]>();
  readonly iterables: BlockingIterables;
  readonly typing: Typing;
  /** Elements of containers, split by the containers' element types (elements.ts). */
  readonly elements: ElementFields;
  /** Elements written into containers of unknown element type (every read of elements takes these). */
  get elem(): number {
    return this.elements.untyped;
  }
  /** The property positions of conditional functions (`options.onRetry`), interned. */
  readonly positions = new PropertyPositions();
  /** Every property (computed reads `handlers[name]` and Object.values may get any of them). */
  readonly anyProp: number;
  /** Properties written under a computed name (`registry[name] = fn`): any named read may get them. */
  readonly dynProp: number;
  private fnValues = new Map<ts.Node, number>();
  private rootValues = new Map<ts.Symbol, number>();
  private boundValues = new Map<string, number>();
  private constNodes = new Map<number, number>();
  private varNodes = new Map<ts.Symbol | ts.Node, number>();
  /** The flow nodes of (non-rest) parameters. */
  private paramVarNodes = new Set<number>();
  private propNodes = new Map<string, number>();
  private retNodes = new Map<ts.Node, number>();
  private callResults = new Map<ts.Node, number>();
  private rootCache = new Map<ts.Symbol, boolean>();
  private classes: ts.ClassLikeDeclaration[] = [];
  private hierarchy: Hierarchy;
  private memberNames: MemberNames;
  /** Property names assigned somewhere (`this.m = …`): a class-hierarchy call of `m` may find another value. */
  private assignedProps = new Set<string>();
  /** Variables and parameters assigned after their declaration. */
  private assignedSymbols = new Set<ts.Symbol>();
  /** Method calls waiting for the class hierarchy (every class must have been seen first). */
  private pendingHierarchy: Array<{ site: Site; decls: ts.MethodDeclaration[]; name: string }> = [];

  constructor(
    readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
    readonly ownFiles: ReadonlySet<ts.SourceFile>,
    readonly options: CollectOptions,
  ) {
    this.iterables = new BlockingIterables(checker);
    this.values.push({ kind: 'iterable' }); // BLOCKING_ITERABLE
    this.typing = new Typing(checker, this.values, this.iterables);
    this.hierarchy = new Hierarchy(checker);
    this.memberNames = new MemberNames(program, ownFiles);
    this.elements = new ElementFields(this.flow, checker, this.typing, (t) => this.iterables.mayHold(t) && !this.iterables.contains(t));
    this.anyProp = this.flow.newNode();
    this.dynProp = this.flow.newNode();
  }

  collect(): void {
    for (const sf of this.ownFiles) {
      const top = this.newContainer(ts.isExternalModule(sf) ? 'top' : 'script', sf, sf, -1);
      this.fileContainers.set(sf, top);
      this.visit(sf, top);
    }
    this.resolveHierarchy();
    this.literalPropertyHandOffs();
    if (this.options.library && this.usesGreenlets()) this.openLibrary();
    this.flow.solve();
  }

  /**
   * Does the program touch greenlets at all: call a blocking primitive (its own `@blocking` declarations, or
   * one of greenlets or of a library compiled by greenlets), or import greenlets (a Queue iterated, a spawn)?
   * A library that does not is plain code: nothing in it can block, its .d.ts carries no tag, and a consumer
   * compiled by greenlets treats it as untransformed code (adapting green callbacks or reporting them).
   */
  usesGreenlets(): boolean {
    if (this.rootContainers.length > 0 || this.sites.some((s) => s.root !== undefined)) return true;
    for (const sf of this.ownFiles) {
      for (const st of sf.statements) {
        const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        if (spec !== undefined && /^greenlets(\/|$)/.test(spec)) return true;
      }
    }
    return false;
  }

  /** The value standing for what callers outside the program pass (library builds), or -1. */
  outside = -1;
  /** Library builds: the exported functions and public methods, which outside callers may call. */
  private openFunctions: ReadonlySet<FunctionLike> = new Set();

  /** May callers outside the program call `c` (whose parameters then hold `outside`, whatever their types)? */
  openToOutside(c: Container): boolean {
    return c.kind === 'fn' && this.openFunctions.has(c.node as FunctionLike);
  }

  /**
   * A library's exported functions, and the public members of its exported classes, are called by programs
   * this analysis does not see: their function-typed parameters may receive green functions. One value,
   * `outside`, stands for those; it is green, so a call through such a parameter is dynamic and makes the
   * function green for callers that pass green functions (`@blocking cb` in its .d.ts).
   */
  private openLibrary(): void {
    this.outside = this.values.length;
    this.values.push({ kind: 'outside' });
    // It moves only from parameter to parameter (`twice(cb) { run(cb); }`): stored in a field, an element or a
    // variable it could make no function conditional (outsideIgnored in solve.ts), only blur the analysis.
    this.flow.restrict(this.outside, (n) => this.paramVarNodes.has(n));
    const open = new Set<FunctionLike>();
    const addFn = (e: ts.Expression | undefined) => {
      if (isFunctionExpr(e)) open.add(skipOuter(e) as FunctionLike);
    };
    for (const sf of this.ownFiles) {
      const ms = this.checker.getSymbolAtLocation(sf);
      if (!ms) continue;
      for (const exp of this.checker.getExportsOfModule(ms)) {
        for (const d of resolveAlias(this.checker, exp)?.declarations ?? []) {
          if (!this.isOwn(d)) continue;
          if (ts.isFunctionDeclaration(d) && d.body) open.add(d);
          else if (ts.isVariableDeclaration(d)) addFn(d.initializer);
          else if (ts.isExportAssignment(d)) addFn(d.expression);
          else if (ts.isClassLike(d)) {
            for (const m of d.members) {
              if (m.name && ts.isPrivateIdentifier(m.name)) continue;
              if (ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Private) continue;
              if ((ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)) && m.body) open.add(m);
              else if (ts.isPropertyDeclaration(m)) addFn(m.initializer);
            }
          }
        }
      }
    }
    this.openFunctions = open;
    for (const fn of open) {
      for (const p of fn.parameters) {
        if (p.dotDotDotToken || !ts.isIdentifier(p.name) || p.name.text === 'this') continue;
        this.flow.addValue(this.paramNode(p), this.outside);
      }
    }
    // `options.onRetry(n)`, `const { onRetry } = options; onRetry(n)`, `({ onRetry }) => onRetry(n)`: the
    // property of a parameter holds what the outside caller put there (the field-based `.onRetry` does not).
    for (const site of this.sites) {
      const c = site.container;
      if (!this.openToOutside(c)) continue;
      const pos = this.paramPosition(site.calleeExpr, c);
      if (pos !== undefined && typeof pos !== 'number') site.outsideCallee = true;
    }
  }

  // ---- values and flow nodes ---------------------------------------------------------------------------

  isOwn(decl: ts.Node): boolean {
    return this.ownFiles.has(decl.getSourceFile());
  }

  isRoot(symbol: ts.Symbol): boolean {
    let r = this.rootCache.get(symbol);
    if (r === undefined) this.rootCache.set(symbol, (r = symbolHasTag(symbol, 'blocking')));
    return r;
  }

  fnValue(node: FunctionLike): number {
    let v = this.fnValues.get(node);
    if (v === undefined) {
      v = this.values.length;
      this.values.push({ kind: 'fn', node });
      this.fnValues.set(node, v);
    }
    return v;
  }

  rootValue(symbol: ts.Symbol): number {
    let v = this.rootValues.get(symbol);
    if (v === undefined) {
      v = this.values.length;
      this.values.push({ kind: 'root', symbol, decl: symbol.declarations![0]! });
      this.rootValues.set(symbol, v);
    }
    return v;
  }

  private boundValue(call: ts.CallExpression, target: number, boundArgs: number[]): number {
    const key = `${call.pos}:${call.getSourceFile().fileName}:${target}`;
    let v = this.boundValues.get(key);
    if (v === undefined) {
      v = this.values.length;
      this.values.push({ kind: 'bound', target, call, boundArgs });
      this.boundValues.set(key, v);
      let list = this.boundOf.get(target);
      if (!list) this.boundOf.set(target, (list = []));
      list.push(v);
    }
    return v;
  }

  private constNode(value: number): number {
    let n = this.constNodes.get(value);
    if (n === undefined) {
      n = this.flow.newNode();
      this.flow.addValue(n, value);
      this.constNodes.set(value, n);
    }
    return n;
  }

  /** A typed place: only function values its type accepts get in. */
  private typedNode(typeOf: () => ts.Type | undefined): number {
    return this.flow.newNode(this.typing.placeFilter(typeOf));
  }

  private varNode(key: ts.Symbol | ts.Node): number {
    let n = this.varNodes.get(key);
    if (n === undefined) {
      n = (key as ts.Symbol).flags !== undefined && (key as ts.Node).kind === undefined
        ? this.typedNode(() => this.checker.getTypeOfSymbol(key as ts.Symbol))
        : this.flow.newNode();
      this.flow.label(n, () => nodeLabel(key));
      this.varNodes.set(key, n);
      const d = (key as ts.Symbol).flags !== undefined && (key as ts.Node).kind === undefined ? (key as ts.Symbol).valueDeclaration : undefined;
      if (d && ts.isParameter(d) && ts.isIdentifier(d.name) && !d.dotDotDotToken) this.paramVarNodes.add(n);
    }
    return n;
  }

  private propNode(name: string): number {
    let n = this.propNodes.get(name);
    if (n === undefined) {
      this.propNodes.set(name, (n = this.flow.label(this.flow.newNode(), () => `.${name}`)));
      this.flow.addEdge(n, this.anyProp);
      this.flow.addEdge(this.dynProp, n);
    }
    return n;
  }

  retNode(fn: FunctionLike): number {
    let n = this.retNodes.get(fn);
    if (n === undefined) {
      n = this.typedNode(() => this.checker.getSignatureFromDeclaration(fn)?.getReturnType());
      this.flow.label(n, () => `return of ${nodeLabel(fn)}`);
      this.retNodes.set(fn, n);
    }
    return n;
  }

  private callResult(call: ts.Node): number {
    let n = this.callResults.get(call);
    // Not typed by the call's own type: that would resolve the (often generic) call. What a call returns is
    // filtered where it comes from (a function's declared return type, a built-in's declared result type)
    // and where it goes (a typed variable, a callee, an argument).
    if (n === undefined) this.callResults.set(call, (n = this.flow.label(this.flow.newNode(), () => `result of ${nodeLabel(call)}`)));
    return n;
  }

  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    const t = this.flow.newNode();
    this.flow.addEdge(a, t);
    this.flow.addEdge(b, t);
    return t;
  }

  private symbolAt(node: ts.Node): ts.Symbol | undefined {
    return resolveAlias(this.checker, this.checker.getSymbolAtLocation(node));
  }

  private declSymbol(decl: ts.NamedDeclaration): ts.Symbol | undefined {
    return decl.name ? this.checker.getSymbolAtLocation(decl.name) : undefined;
  }

  /** Where `obj[k]` reads or writes: arrays and strings have elements, other objects have properties. */
  private receiverKind(receiver: ts.Expression): 'elements' | 'properties' | 'unknown' {
    const t = this.checker.getNonNullableType(this.typing.typeAt(receiver));
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'unknown';
    if (t.flags & ts.TypeFlags.StringLike || this.checker.isArrayLikeType(t)) return 'elements';
    const name = t.getSymbol()?.name;
    if (name !== undefined && /^(Readonly)?(Map|Set)$|Array$/.test(name)) return 'elements';
    return 'properties';
  }

  /** The flow node holding the function values `e` may evaluate to, or -1 (it never holds one we track). */
  valueNode(expr: ts.Expression): number {
    const e = skipOuter(expr);
    switch (e.kind) {
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
        return this.constNode(this.fnValue(e as FunctionLike));
      case ts.SyntaxKind.Identifier:
        return this.identNode(e as ts.Identifier);
      case ts.SyntaxKind.PropertyAccessExpression: {
        const pa = e as ts.PropertyAccessExpression;
        // A value read through a computed receiver (`f().x`, `a[i].x`) is the field-based property: resolving
        // the name would type-check the receiver. Simple receivers are resolved (roots, namespace members).
        if (!isSimpleReceiver(pa.expression)) return this.propNode(pa.name.text);
        const sym = this.symbolAt(pa.name);
        if (sym && this.isRoot(sym)) return this.constNode(this.rootValue(sym));
        // `ns.f` (a namespace import's member) is the variable itself, not a property.
        const d = sym?.valueDeclaration;
        if (d && (ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d)) && this.isOwn(d)) return this.varNode(sym!);
        return this.propNode(pa.name.text);
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const ea = e as ts.ElementAccessExpression;
        const arg = ea.argumentExpression;
        if (ts.isStringLiteralLike(arg)) {
          const sym = this.symbolAt(arg);
          if (sym && this.isRoot(sym)) return this.constNode(this.rootValue(sym));
          return this.propNode(arg.text);
        }
        const kind = this.receiverKind(ea.expression);
        const read = () => this.elements.read(() => this.typing.typeAt(ea.expression));
        return kind === 'elements' ? read() : kind === 'properties' ? this.anyProp : this.merge(read(), this.anyProp);
      }
      case ts.SyntaxKind.CallExpression:
        return this.callResult(e);
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        return this.merge(this.valueNode(c.whenTrue), this.valueNode(c.whenFalse));
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        switch (b.operatorToken.kind) {
          case ts.SyntaxKind.BarBarToken:
          case ts.SyntaxKind.AmpersandAmpersandToken:
          case ts.SyntaxKind.QuestionQuestionToken:
          case ts.SyntaxKind.BarBarEqualsToken:
          case ts.SyntaxKind.AmpersandAmpersandEqualsToken:
          case ts.SyntaxKind.QuestionQuestionEqualsToken:
            return this.merge(this.valueNode(b.left), this.valueNode(b.right));
          case ts.SyntaxKind.EqualsToken:
          case ts.SyntaxKind.CommaToken:
            return this.valueNode(b.right);
        }
        return -1;
      }
    }
    return -1;
  }

  private identNode(id: ts.Identifier): number {
    const sym = this.symbolAt(id);
    if (!sym) return -1;
    if (this.isRoot(sym)) return this.constNode(this.rootValue(sym));
    const decl = sym.valueDeclaration ?? sym.declarations?.[0];
    if (!decl || !this.isOwn(decl)) return -1;
    if (ts.isExportAssignment(decl)) return this.varNode(decl);
    if (ts.isFunctionDeclaration(decl) && !decl.name) return this.varNode(decl); // `export default function () {}`
    if (sym.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Enum | ts.SymbolFlags.Module)) return -1;
    return this.varNode(sym);
  }

  /**
   * If `expr` is a parameter of the function `c` itself, used as it came in (not reassigned, no default value),
   * its argument position; if it is one property of such a parameter (`options.onRetry`, or `onRetry`
   * destructured from it, in the parameter list or by a `const` in c's own body), that property position; else
   * undefined. Calls through such a parameter make `c` green only for the callers that pass a green function there.
   */
  paramPosition(expr: ts.Expression | undefined, c: Container): Position | undefined {
    if (expr === undefined || c.kind === 'top' || c.value < 0) return undefined;
    if (this.paramPositions.has(expr)) return this.paramPositions.get(expr);
    const r = this.computeParamPosition(expr, c);
    this.paramPositions.set(expr, r);
    return r;
  }
  private paramPositions = new Map<ts.Expression, Position | undefined>();

  private computeParamPosition(expr: ts.Expression, c: Container): Position | undefined {
    const e = skipOuter(expr);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const prop = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
      const recv = skipOuter(e.expression);
      // A property written anywhere (`o.onRetry = f`) may hold what the function's own code put there.
      if (prop === undefined || !ts.isIdentifier(recv) || this.assignedProps.has(prop)) return undefined;
      const index = this.ownParameter(this.checker.getSymbolAtLocation(recv), c, prop);
      return index === undefined || !this.isFunctionProperty(recv, prop) ? undefined : this.positions.get(index, prop);
    }
    if (!ts.isIdentifier(e)) return undefined;
    const shorthand = ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e;
    const sym = shorthand ? this.checker.getShorthandAssignmentValueSymbol(e.parent) : this.checker.getSymbolAtLocation(e);
    const d = sym?.valueDeclaration;
    if (d && ts.isBindingElement(d)) return this.bindingPosition(d, sym!, c);
    return this.ownParameter(sym, c);
  }

  /**
   * The argument index of parameter `sym` of c, as it came in (not reassigned, not a rest); with a default value
   * only when reading property `prop` the default does not have (`options = {}`). Else undefined.
   */
  private ownParameter(sym: ts.Symbol | undefined, c: Container, prop?: string): number | undefined {
    const d = sym?.valueDeclaration;
    if (!sym || !d || !ts.isParameter(d) || d.parent !== c.node || d.dotDotDotToken) return undefined;
    if (d.initializer && (prop === undefined || !lacksProperty(d.initializer, prop))) return undefined;
    if (this.assignedSymbols.has(sym)) return undefined;
    return argumentParameters((c.node as FunctionLike).parameters).indexOf(d);
  }

  /** `onRetry` bound by `{ onRetry }` (one level) from a parameter of c: the property position. */
  private bindingPosition(el: ts.BindingElement, sym: ts.Symbol, c: Container): Position | undefined {
    const pattern = el.parent;
    if (!ts.isObjectBindingPattern(pattern) || el.dotDotDotToken || this.assignedSymbols.has(sym)) return undefined;
    const prop = propName(el.propertyName ?? el.name);
    if (prop === undefined || this.assignedProps.has(prop)) return undefined;
    const holder = pattern.parent;
    if (!this.isFunctionProperty(pattern, prop)) return undefined;
    if (ts.isParameter(holder)) {
      if (holder.parent !== c.node || holder.dotDotDotToken) return undefined;
      if (holder.initializer && !lacksProperty(holder.initializer, prop)) return undefined;
      return this.positions.get(argumentParameters((c.node as FunctionLike).parameters).indexOf(holder), prop);
    }
    // `const { onRetry } = options` in c's own body (not in a closure, which may run after options changed).
    if (!ts.isVariableDeclaration(holder) || !holder.initializer || ts.findAncestor(holder.parent, isFunctionLikeNode) !== c.node) return undefined;
    const from = skipOuter(holder.initializer);
    const index = ts.isIdentifier(from) ? this.ownParameter(this.checker.getSymbolAtLocation(from), c, prop) : undefined;
    return index === undefined ? undefined : this.positions.get(index, prop);
  }

  /**
   * Is `prop` of the object `holder` evaluates to (or destructures) a property holding a function — an option, a
   * handler — rather than a method? A method belongs to the object's class (`em.on(...)`): what it does is the
   * object's business, and no `@blocking` word of a parameter could describe it.
   */
  private isFunctionProperty(holder: ts.Node, prop: string): boolean {
    const t = this.checker.getNonNullableType(this.typing.typeAt(holder));
    const sym = this.checker.getPropertyOfType(this.checker.getApparentType(t), prop);
    if (sym === undefined) return true; // an index signature, `any`
    return (sym.declarations ?? []).every((d) => !ts.isMethodSignature(d) && !ts.isMethodDeclaration(d) && !ts.isAccessor(d));
  }

  /** Does the default value of the binding `expr` names (`{ onRetry = noop }`) hold function value `v`? A
   * default is the function's own: it blocks whatever its caller passes. */
  defaultHolds(expr: ts.Expression | undefined, v: number): boolean {
    const e = expr && skipOuter(expr);
    if (!e || !ts.isIdentifier(e)) return false;
    const shorthand = ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e;
    const d = (shorthand ? this.checker.getShorthandAssignmentValueSymbol(e.parent) : this.checker.getSymbolAtLocation(e))?.valueDeclaration;
    const n = d && ts.isBindingElement(d) ? this.bindingDefaults.get(d) : undefined;
    return n !== undefined && this.flow.values(n).has(v);
  }
  private bindingDefaults = new Map<ts.BindingElement, number>();

  /** Is property `name` written somewhere (`o.name = f`)? */
  propertyAssigned(name: string): boolean {
    return this.assignedProps.has(name);
  }

  /** The flow node of property `name` (every `.name`), or -1 when nothing has that property. */
  propertyNode(name: string): number {
    return this.propNodes.get(name) ?? -1;
  }

  /** The flow node of the parameter of `fn` at argument position `pos` (skipping a `this` parameter), or -1. */
  paramNodeAt(fn: FunctionLike, pos: number): number {
    const params = fn.parameters;
    const offset = params[0] && ts.isIdentifier(params[0].name) && params[0].name.text === 'this' ? 1 : 0;
    const p = params[pos + offset];
    return p && !p.dotDotDotToken ? this.paramNode(p) : -1;
  }

  private paramNode(p: ts.ParameterDeclaration): number {
    let n = this.paramNodes.get(p);
    if (n === undefined) {
      const sym = ts.isIdentifier(p.name) ? this.declSymbol(p) : undefined;
      this.paramNodes.set(p, (n = sym ? this.varNode(sym) : -1));
    }
    return n;
  }
  private paramNodes = new Map<ts.ParameterDeclaration, number>();

  /** `target = src` for an assignment target (identifier, property, element, destructuring). */
  private assignTo(target: ts.Expression, src: number): void {
    const t = skipOuter(target);
    if (ts.isIdentifier(t)) {
      const sym = this.symbolAt(t);
      if (sym) {
        this.assignedSymbols.add(sym);
        this.flow.addEdge(src, this.varNode(sym));
      }
    } else if (ts.isPropertyAccessExpression(t)) {
      this.assignedProps.add(t.name.text);
      this.flow.addEdge(src, this.propNode(t.name.text));
    } else if (ts.isElementAccessExpression(t)) {
      const a = t.argumentExpression;
      if (ts.isStringLiteralLike(a)) {
        this.assignedProps.add(a.text);
        this.flow.addEdge(src, this.propNode(a.text));
      } else if (src >= 0) {
        const kind = this.receiverKind(t.expression);
        if (kind !== 'properties') this.flow.addEdge(src, this.elements.write(() => this.typing.typeAt(t.expression)));
        if (kind !== 'elements') this.flow.addEdge(src, this.dynProp);
      }
    } else if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isPropertyAssignment(p)) {
          const n = propName(p.name);
          if (n !== undefined) this.assignTo(p.initializer, this.propNode(n));
        } else if (ts.isShorthandPropertyAssignment(p)) {
          this.assignTo(p.name, this.propNode(p.name.text));
        }
      }
    } else if (ts.isArrayLiteralExpression(t)) {
      for (const el of t.elements) {
        if (ts.isSpreadElement(el)) continue;
        this.assignTo(ts.isBinaryExpression(el) && el.operatorToken.kind === ts.SyntaxKind.EqualsToken ? el.left : el, this.elements.all);
      }
    } else if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.assignTo(t.left, src);
    }
  }

  /** A binding pattern receiving `src` (object patterns read fields by name: field-based). */
  private bindName(name: ts.BindingName, src: number, elementsSrc?: number): void {
    if (ts.isIdentifier(name)) {
      if (src < 0) return;
      const sym = this.checker.getSymbolAtLocation(name);
      if (sym) this.flow.addEdge(src, this.varNode(sym));
      return;
    }
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      let from: number;
      if (ts.isObjectBindingPattern(name)) {
        if (el.dotDotDotToken) continue;
        const n = propName(el.propertyName ?? el.name);
        if (n === undefined) continue;
        from = this.propNode(n);
      } else {
        // Nested patterns (`[k, [a, b]]`) read the same elements: tuples are flattened into one field.
        from = elementsSrc ?? this.elements.all;
      }
      this.bindName(el.name, from, ts.isArrayBindingPattern(name) ? elementsSrc : undefined);
      if (el.initializer) {
        const d = this.valueNode(el.initializer);
        if (d >= 0) this.bindingDefaults.set(el, d);
        this.bindName(el.name, d);
      }
    }
  }

  // ---- the walk ----------------------------------------------------------------------------------------

  private newContainer(kind: ContainerKind, node: Container['node'], sf: ts.SourceFile, value: number): Container {
    const c: Container = { kind, node, sourceFile: sf, value, sites: [], iterations: [], blocks: false, always: false };
    this.containers.push(c);
    return c;
  }

  private visit(node: ts.Node, c: Container): void {
    switch (node.kind) {
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.Constructor:
        this.visitFunction(node as FunctionLike, c);
        return;
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        this.classes.push(node as ts.ClassLikeDeclaration);
        break;
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.ImportDeclaration:
        return; // nothing runs
      case ts.SyntaxKind.PropertyDeclaration: {
        const p = node as ts.PropertyDeclaration;
        if (!p.initializer) break;
        const n = propName(p.name);
        if (n !== undefined) {
          this.flow.addEdge(this.valueNode(p.initializer), this.propNode(n));
          this.handOff(p.initializer, p.type, () => this.propNode(n));
        }
        const fc = this.newContainer('field', p, c.sourceFile, -1);
        this.containerOf.set(p, fc);
        this.visit(p.initializer, fc);
        return;
      }
      case ts.SyntaxKind.ClassStaticBlockDeclaration: {
        const sc = this.newContainer('static', node as ts.ClassStaticBlockDeclaration, c.sourceFile, -1);
        this.containerOf.set(node, sc);
        ts.forEachChild(node, (ch) => this.visit(ch, sc));
        return;
      }
      case ts.SyntaxKind.VariableDeclaration: {
        const d = node as ts.VariableDeclaration;
        if (d.initializer) {
          const init = d.initializer;
          this.bindName(d.name, this.valueNode(init), ts.isArrayBindingPattern(d.name) ? this.elements.read(() => this.typing.typeAt(init)) : undefined);
          if (ts.isIdentifier(d.name)) {
            const sym = this.checker.getSymbolAtLocation(d.name);
            if (sym) this.handOff(init, d.type, () => this.varNode(sym));
          }
          if (ts.isArrayBindingPattern(d.name)) this.addIteration(d.name, d.initializer, c);
        }
        break;
      }
      case ts.SyntaxKind.ForOfStatement: {
        const f = node as ts.ForOfStatement;
        if (!f.awaitModifier) this.addIteration(f, f.expression, c);
        const items = this.elements.read(() => this.typing.typeAt(f.expression));
        if (ts.isVariableDeclarationList(f.initializer)) {
          for (const d of f.initializer.declarations) {
            this.bindName(d.name, items, items);
            if (ts.isArrayBindingPattern(d.name)) this.addIteration(d.name, undefined, c);
          }
          // The declarations have no initialiser: walk only what may run in them (default values).
          this.visit(f.expression, c);
          for (const d of f.initializer.declarations) this.visitBindingDefaults(d.name, c);
          this.visit(f.statement, c);
          return;
        }
        this.assignTo(f.initializer, items);
        break;
      }
      case ts.SyntaxKind.SpreadElement: {
        const s = node as ts.SpreadElement;
        this.addIteration(s, s.expression, c);
        break;
      }
      case ts.SyntaxKind.YieldExpression: {
        // `yield* xs` in a user generator iterates xs plainly (it cannot be made green): recorded so that a
        // blocking xs is reported (GL1015), as a for-of over it is.
        const y = node as ts.YieldExpression;
        if (y.asteriskToken && y.expression) this.addIteration(y, y.expression, c);
        break;
      }
      case ts.SyntaxKind.ArrayLiteralExpression: {
        const a = node as ts.ArrayLiteralExpression;
        let w = -1;
        const into = () => (w < 0 ? (w = this.elements.write(() => this.typing.typeAt(a))) : w);
        for (const el of a.elements) {
          if (ts.isSpreadElement(el)) {
            const from = el.expression;
            this.flow.addEdge(this.elements.read(() => this.typing.typeAt(from)), into());
          } else {
            const v = this.valueNode(el);
            if (v >= 0) this.flow.addEdge(v, into());
          }
        }
        this.storedIterables(a.elements, () => this.checker.getContextualType(a));
        break;
      }
      case ts.SyntaxKind.ObjectLiteralExpression: {
        for (const p of (node as ts.ObjectLiteralExpression).properties) {
          if (ts.isPropertyAssignment(p)) {
            const n = propName(p.name);
            if (n !== undefined) {
              this.flow.addEdge(this.valueNode(p.initializer), this.propNode(n));
              this.handOff(p.initializer, undefined, () => this.propNode(n));
              this.noteLiteralProperty(n, p.initializer);
            } else if (ts.isComputedPropertyName(p.name)) this.flow.addEdge(this.valueNode(p.initializer), this.dynProp);
          } else if (ts.isShorthandPropertyAssignment(p)) {
            const sym = resolveAlias(this.checker, this.checker.getShorthandAssignmentValueSymbol(p));
            if (sym) {
              const src = this.isRoot(sym) ? this.constNode(this.rootValue(sym)) : this.varNode(sym);
              this.flow.addEdge(src, this.propNode(p.name.text));
              this.noteLiteralProperty(p.name.text, p.name);
            }
          }
        }
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) {
          this.assignTo(b.left, this.valueNode(b.right));
          if (op === ts.SyntaxKind.EqualsToken) this.assignHandOff(b.left, b.right);
          if (op === ts.SyntaxKind.EqualsToken && ts.isArrayLiteralExpression(skipOuter(b.left))) this.addIteration(b.left, b.right, c);
          // The left side is a target, not an array literal whose elements flow anywhere: walk only its parts.
          if (ts.isArrayLiteralExpression(b.left) || ts.isObjectLiteralExpression(b.left)) {
            this.visitTargetParts(b.left, c);
            this.visit(b.right, c);
            return;
          }
        }
        break;
      }
      case ts.SyntaxKind.ReturnStatement: {
        const r = node as ts.ReturnStatement;
        if (r.expression && c.value >= 0) {
          const fn = c.node as FunctionLike;
          this.flow.addEdge(this.valueNode(r.expression), this.retNode(fn));
          if (c.kind !== 'generator' && c.kind !== 'async') this.handOff(r.expression, fn.type, () => this.retNode(fn));
        }
        break;
      }
      case ts.SyntaxKind.ExportAssignment:
        this.flow.addEdge(this.valueNode((node as ts.ExportAssignment).expression), this.varNode(node));
        break;
      case ts.SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        this.visitCall(call, call.expression, call.arguments, c);
        break;
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const t = node as ts.TaggedTemplateExpression;
        this.visitCall(t, t.tag, [], c);
        break;
      }
      case ts.SyntaxKind.NewExpression:
        this.visitNew(node as ts.NewExpression, c);
        break;
    }
    ts.forEachChild(node, (ch) => this.visit(ch, c));
  }

  private visitBindingDefaults(name: ts.BindingName, c: Container): void {
    if (ts.isIdentifier(name)) return;
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      if (el.propertyName && ts.isComputedPropertyName(el.propertyName)) this.visit(el.propertyName, c);
      if (el.initializer) this.visit(el.initializer, c);
      this.visitBindingDefaults(el.name, c);
    }
  }

  private visitTargetParts(target: ts.Expression, c: Container): void {
    const t = skipOuter(target);
    if (ts.isArrayLiteralExpression(t)) {
      for (const el of t.elements) this.visitTargetParts(el, c);
    } else if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isPropertyAssignment(p)) this.visitTargetParts(p.initializer, c);
        else ts.forEachChild(p, (ch) => this.visit(ch, c));
      }
    } else if (ts.isSpreadElement(t)) {
      this.visitTargetParts(t.expression, c);
    } else {
      this.visit(t, c);
    }
  }

  private visitFunction(fn: FunctionLike, outer: Container): void {
    if (!fn.body) return; // overload signatures, abstract and `declare` members: nothing runs
    const v = this.fnValue(fn);
    const kind: ContainerKind =
      fn.kind === ts.SyntaxKind.Constructor ? 'ctor'
      : fn.kind === ts.SyntaxKind.GetAccessor ? 'getter'
      : fn.kind === ts.SyntaxKind.SetAccessor ? 'setter'
      : hasModifier(fn, ts.SyntaxKind.AsyncKeyword) ? 'async'
      : (fn as ts.FunctionDeclaration).asteriskToken ? 'generator'
      : 'fn';
    const c = this.newContainer(kind, fn, outer.sourceFile, v);
    (this.values[v] as { container?: Container }).container = c;
    this.containerOf.set(fn, c);
    const name = propName(fn.name);
    if (ts.isFunctionDeclaration(fn)) {
      const sym = this.declSymbol(fn);
      if (sym) this.flow.addValue(this.varNode(sym), v);
      // `export default function () {}` is imported through the default export's symbol.
      if (!fn.name && hasModifier(fn, ts.SyntaxKind.DefaultKeyword)) this.flow.addValue(this.varNode(fn), v);
    } else if (ts.isMethodDeclaration(fn)) {
      if (name !== undefined) this.flow.addValue(this.propNode(name), v);
    } else if (ts.isGetAccessorDeclaration(fn)) {
      if (name !== undefined) this.flow.addEdge(this.retNode(fn), this.propNode(name));
    } else if (ts.isSetAccessorDeclaration(fn)) {
      if (name !== undefined && fn.parameters[0]) this.flow.addEdge(this.propNode(name), this.paramNode(fn.parameters[0]));
    } else if (ts.isConstructorDeclaration(fn)) {
      for (const p of fn.parameters) {
        const n = propName(p.name);
        if (n !== undefined && ts.isParameterPropertyDeclaration(p, fn)) this.flow.addEdge(this.paramNode(p), this.propNode(n));
      }
    } else if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) {
      this.flow.addEdge(this.valueNode(fn.body), this.retNode(fn));
      if (kind !== 'async') this.handOff(fn.body, fn.type, () => this.retNode(fn));
    } else if (ts.isFunctionExpression(fn) && fn.name) {
      // `function inner() { inner(); }`: the name is bound to the function inside it.
      const sym = this.declSymbol(fn);
      if (sym) this.flow.addValue(this.varNode(sym), v);
    }
    if (kind === 'fn' && this.isTaggedRoot(fn)) this.rootContainers.push(c);
    for (const p of fn.parameters) {
      if (!ts.isIdentifier(p.name)) this.bindName(p.name, -1);
      if (p.initializer) {
        if (ts.isIdentifier(p.name)) {
          this.flow.addEdge(this.valueNode(p.initializer), this.paramNode(p));
          this.handOff(p.initializer, p.type, () => this.paramNode(p));
        }
        else this.bindName(p.name, this.valueNode(p.initializer));
      }
    }
    // A green function evaluates plain-named defaults at the start of its body (defaults.ts): there they may block.
    const inBody = kind === 'fn' ? bodyDefaults(fn) : undefined;
    ts.forEachChild(fn, (ch) => {
      if (ts.isParameter(ch) && inBody?.includes(ch)) this.visit(ch, c);
      else if (ts.isParameter(ch) && (ch.initializer || hasPatternDefault(ch.name))) {
        // Default values (also those inside a destructured parameter: `{ a = f() }`) are evaluated where
        // generators cannot yield: their own container.
        const dc = this.newContainer('default', ch, c.sourceFile, -1);
        this.containerOf.set(ch, dc);
        this.visit(ch, dc);
      } else if (!ts.isTypeNode(ch) && !ts.isTypeParameterDeclaration(ch)) this.visit(ch, c);
    });
  }

  /** An own function-like declared `@blocking` (directly, or as the initialiser of a tagged const/property). */
  private isTaggedRoot(fn: FunctionLike): boolean {
    if (hasJSDocTag(fn, 'blocking')) return true;
    const p = fn.parent;
    return (ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p)) && p.initializer === fn && hasJSDocTag(p, 'blocking');
  }

  private addIteration(node: ts.Node, iterable: ts.Expression | undefined, c: Container): void {
    const it: Iteration = { node, iterable: iterable ?? (node as ts.Expression), container: c, flow: iterable ? this.iterableNode(iterable) : -1 };
    c.iterations.push(it);
    this.iterations.push(it);
  }

  // ---- blocking iterables handed on under a general type -----------------------------------------------

  /** The flow node a blocking iterable reaching `iterable` would be in (element reads never hold one). */
  private iterableNode(iterable: ts.Expression): number {
    const e = skipOuter(iterable);
    if (ts.isElementAccessExpression(e) && !ts.isStringLiteralLike(e.argumentExpression)) return -1;
    return this.valueNode(e);
  }

  /**
   * `expr` is put in a place declared `typeNode` (undefined: not annotated, the place has expr's own type): when
   * expr is a blocking iterable and the place's type is more general (`Iterable<T>`, `unknown`, a type
   * parameter), the place gets BLOCKING_ITERABLE, which flows on from there to the iterations it reaches. Types
   * are asked only at annotated places of such a type, or under a type-only wrapper (`q as Iterable<T>`).
   */
  private handOff(expr: ts.Expression, typeNode: ts.TypeNode | undefined, into: () => number): void {
    if (typeNode !== undefined ? !this.iterables.mayHold(this.checker.getTypeFromTypeNode(typeNode)) : !hasTypeWrapper(expr)) return;
    if (!this.iterables.containsExpr(expr, (n) => this.typing.typeAt(n))) return;
    this.flow.addValue(into(), BLOCKING_ITERABLE);
  }

  /**
   * `exprs` are stored in a container of type `containerType()` (an array literal's contextual type, the
   * receiver of `push`): a blocking iterable among them, stored under a general element type (`Iterable<T>[]`),
   * is what reads of such elements may give (ElementFields.iterables). Types are asked only of elements that
   * can be one (a name, a property, a call).
   */
  private storedIterables(exprs: readonly ts.Expression[], containerType: () => ts.Type | undefined): void {
    let general: boolean | undefined;
    for (const el of exprs) {
      const x = skipOuter(ts.isSpreadElement(el) ? el.expression : el);
      if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x) && !ts.isCallExpression(x) && !ts.isNewExpression(x)) continue;
      if (ts.isSpreadElement(el) || !this.iterables.containsExpr(el, (n) => this.typing.typeAt(n))) continue;
      if (general === undefined) {
        const elem = this.elements.elementType(containerType());
        general = elem !== undefined && this.iterables.mayHold(elem) && !this.iterables.contains(elem);
      }
      if (!general) return;
      this.flow.addValue(this.elements.iterables, BLOCKING_ITERABLE);
      return;
    }
  }

  /** Values written as property `name` of an object literal (`run({ items: q })`), checked after the walk. */
  private noteLiteralProperty(name: string, expr: ts.Expression): void {
    const x = skipOuter(expr);
    // A blocking iterable is a name, a property or a call's result; a literal, an arrow, arithmetic are not.
    if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x) && !ts.isElementAccessExpression(x) && !ts.isCallExpression(x) && !ts.isNewExpression(x)) return;
    let list = this.literalProps.get(name);
    if (!list) this.literalProps.set(name, (list = []));
    list.push(expr);
  }
  private literalProps = new Map<string, ts.Expression[]>();

  /**
   * `run({ items: q })` where run iterates `opts.items` (typed `Iterable<T>`): the property is the general-typed
   * place the blocking iterable is handed to. BLOCKING_ITERABLE goes into the value's own node (so the solver sees
   * that this literal passes one, as for an argument) and the property's. Types are asked only of literal
   * properties whose name some iteration reads as a property (`for (const x of opts.items)`).
   */
  private literalPropertyHandOffs(): void {
    if (this.literalProps.size === 0) return;
    const iterated = new Set<string>();
    for (const it of this.iterations) {
      const e = skipOuter(it.iterable);
      if (ts.isPropertyAccessExpression(e) && it.flow === this.propNodes.get(e.name.text)) iterated.add(e.name.text);
    }
    for (const name of iterated) {
      for (const expr of this.literalProps.get(name) ?? []) {
        const shorthand = ts.isShorthandPropertyAssignment(expr.parent) && expr.parent.name === expr;
        if (!this.iterables.containsExpr(expr, (n) => this.typing.typeAt(n))) continue;
        const own = shorthand ? this.varNode(resolveAlias(this.checker, this.checker.getShorthandAssignmentValueSymbol(expr.parent))!) : this.valueNode(expr);
        if (own >= 0) this.flow.addValue(own, BLOCKING_ITERABLE);
        this.flow.addValue(this.propNode(name), BLOCKING_ITERABLE);
      }
    }
  }

  /** `x = expr` / `o.p = expr`: a hand-off to x's or p's declared type. */
  private assignHandOff(target: ts.Expression, expr: ts.Expression): void {
    const t = skipOuter(target);
    const name = ts.isIdentifier(t) ? t : ts.isPropertyAccessExpression(t) ? t.name : undefined;
    if (name === undefined) return;
    const decl = this.symbolAt(name)?.valueDeclaration;
    const typeNode = decl && (ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) ? decl.type : undefined;
    if (typeNode === undefined && !hasTypeWrapper(expr)) return;
    this.handOff(expr, typeNode, () => (ts.isIdentifier(t) ? this.varNode(this.symbolAt(t)!) : this.propNode(name.text)));
  }

  /**
   * An argument bound to parameter `p` (bindTarget): when `p`'s type is general and the argument is a blocking
   * iterable, BLOCKING_ITERABLE goes into the argument's own node (so the solver sees that this call passes
   * one, for a function that blocks only when its caller does). Returns the node to bind from.
   */
  private argumentHandOff(site: Site, args: readonly number[], ai: number, expr: ts.Expression | undefined, p: ts.ParameterDeclaration, src: number): number {
    if (expr === undefined || !this.generalParameter(p)) return src;
    if (!this.iterables.containsExpr(expr, (n) => this.typing.typeAt(n))) return src;
    if (src >= 0) {
      this.flow.addValue(src, BLOCKING_ITERABLE);
      return src;
    }
    const n = this.constNode(BLOCKING_ITERABLE);
    if (args === site.args) site.args[ai] = n;
    return n;
  }

  /**
   * `queues.map(drain)` where drain takes an `Iterable<T>`: a higher-order built-in hands each element of its
   * receiver to the callback, so when the elements are blocking iterables and `p`'s type is general, the read of
   * the elements (the callback's argument) gets BLOCKING_ITERABLE, as a direct `drain(q)` would.
   */
  private elementHandOff(holder: ts.Expression, p: ts.ParameterDeclaration, src: number): number {
    if (src < 0 || !this.generalParameter(p)) return src;
    const elem = this.elements.elementType(this.typing.typeAt(holder));
    if (elem !== undefined && this.iterables.contains(elem)) this.flow.addValue(src, BLOCKING_ITERABLE);
    return src;
  }

  /** Can a blocking iterable be passed to `p` under a more general type? From its annotation; an unannotated
   * parameter of a declaration is `any` (an arrow's takes its type from where it is passed: not asked). */
  private generalParameter(p: ts.ParameterDeclaration): boolean {
    let r = this.generalParams.get(p);
    if (r === undefined) {
      const fn = p.parent;
      r =
        p.type !== undefined ? this.iterables.mayHold(this.checker.getTypeFromTypeNode(p.type))
        : ts.isFunctionDeclaration(fn) || ((ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn)) && ts.isClassLike(fn.parent));
      this.generalParams.set(p, r);
    }
    return r;
  }
  private generalParams = new Map<ts.ParameterDeclaration, boolean>();

  /**
   * How a call to a root is emitted: through [GREEN] when it is one fixed green value, else tested at run
   * time — interface members and abstract methods (any implementation may be plain), methods (a subclass
   * compiled elsewhere may override one with a plain method), and roots returning a blocking iterable (iwait
   * may be an ordinary function: the iteration is what blocks).
   */
  private rootCallKind(sym: ts.Symbol): 'green' | 'dynamic' {
    if (sym.declarations?.some((d) => isAbstractDeclaration(d) || ts.isMethodDeclaration(d))) return 'dynamic';
    for (const sig of this.checker.getTypeOfSymbol(sym).getCallSignatures()) {
      const rt = sig.getReturnType();
      // A generic result (`retry<T>(fn: () => T): T`) is whatever the caller's function returns, not the root's own.
      if (rt.flags & ts.TypeFlags.TypeParameter) continue;
      if (this.iterables.kindOf(rt) !== 'plain') return 'dynamic';
    }
    return 'green';
  }

  private newSite(node: Site['node'], c: Container, args: readonly ts.Expression[]): Site {
    const site: Site = { node, container: c, callee: -1, args: [], argExprs: [], result: -1, static: false, hot: false };
    args.forEach((a, i) => {
      if (ts.isSpreadElement(a)) {
        site.spreadFrom ??= i;
        const spread = a.expression;
        site.args.push(this.elements.read(() => this.typing.typeAt(spread)));
        site.argExprs!.push(undefined);
      } else {
        site.args.push(this.valueNode(a));
        site.argExprs!.push(a);
        const lit = skipOuter(a);
        if (ts.isObjectLiteralExpression(lit)) this.objectArgProperties(site, i, lit);
      }
    });
    if (node.kind !== ts.SyntaxKind.NewExpression) site.result = this.callResult(node);
    return site;
  }

  /** The named properties of an object literal argument that may hold functions (its methods too). */
  private objectArgProperties(site: Site, arg: number, literal: ts.ObjectLiteralExpression): void {
    for (const p of literal.properties) {
      let prop: ObjectArgProperty | undefined;
      if (ts.isMethodDeclaration(p) && p.body && !p.asteriskToken && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
        prop = { arg, name: p.name.text, node: this.constNode(this.fnValue(p)), expr: p.name, literal };
      }
      if (ts.isPropertyAssignment(p)) {
        const name = propName(p.name);
        const node = this.valueNode(p.initializer);
        if (name !== undefined && node >= 0) prop = { arg, name, node, expr: p.initializer, literal };
      } else if (ts.isShorthandPropertyAssignment(p)) {
        const sym = resolveAlias(this.checker, this.checker.getShorthandAssignmentValueSymbol(p));
        if (sym) {
          const node = this.isRoot(sym) ? this.constNode(this.rootValue(sym)) : this.varNode(sym);
          prop = { arg, name: p.name.text, node, expr: p.name, literal };
        }
      }
      if (prop) (site.objectArgs ??= []).push(prop);
    }
  }

  private pushSite(site: Site): void {
    site.container.sites.push(site);
    this.sites.push(site);
  }

  private visitCall(node: ts.CallExpression | ts.TaggedTemplateExpression, calleeExpr: ts.Expression, args: readonly ts.Expression[], c: Container): void {
    const expr = skipOuter(calleeExpr);
    if (expr.kind === ts.SyntaxKind.ImportKeyword) return;
    if (expr.kind === ts.SyntaxKind.SuperKeyword) {
      // super(...): bind the arguments to the base constructor's parameters; constructors are never green.
      this.bindConstructor(node as ts.CallExpression, args, c, false);
      return;
    }
    const site = this.newSite(node, c, args);
    const nameNode =
      ts.isIdentifier(expr) ? expr
      : ts.isPropertyAccessExpression(expr) ? expr.name
      : ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression) ? expr.argumentExpression
      : undefined;
    site.calleeExpr = expr;
    if (nameNode !== undefined && nameNode !== expr && !this.memberNames.mustResolve(nameNode.text)) {
      // `console.log(x)`, `s.trim()`, `em.on('x', h)`: untransformed code; resolved later if it is given a green function.
      site.opaque = true;
      this.pushSite(site);
      return;
    }
    const sym = nameNode ? this.symbolAt(nameNode) : undefined;
    if (sym && this.isRoot(sym)) {
      const when = blockingPositions(this.checker, sym, this.positions);
      site.root = { kind: this.rootCallKind(sym), symbol: sym, ...(when === 'always' ? {} : { when }) };
      // Roots are the runtime's primitives: queues and channels hand back what was put in.
      this.containerCall(site, expr, sym.declarations?.[0]);
      // pool.spawn / pool.map / pool.apply block (a full pool) and also run what they are given.
      const receiver = ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr) ? expr.expression : undefined;
      for (const d of sym.declarations ?? []) this.forwardedArguments(site, d, args, receiver);
      this.pushSite(site);
      return;
    }
    const alias = ts.isIdentifier(expr) && sym ? this.staticAlias(sym) : undefined;
    if (alias) {
      // `const from = Array.from; from(iwait(gs))`: the built-in itself.
      this.externalCall(site, alias.expr, alias.sym, alias.decl, args);
      this.pushSite(site);
      return;
    }
    const decls = sym?.declarations ?? [];
    if (decls.length > 0 && decls.every((d) => this.isRuntimeValueProperty(d))) {
      // `g.value!()`: a runtime property that holds what the program gave it (a spawned function's result).
      site.callee = this.valueNode(expr);
      this.flow.onValue(site.callee, (t) => this.bindTarget(site, t));
      this.pushSite(site);
      return;
    }
    if (decls.length > 0 && decls.every((d) => !this.isOwn(d))) {
      this.externalCall(site, expr, sym!, decls[0]!, args);
      this.pushSite(site);
      return;
    }
    const receiver = ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr) ? skipOuter(expr.expression) : undefined;
    if (receiver?.kind === ts.SyntaxKind.SuperKeyword && sym?.valueDeclaration && isFunctionLikeNode(sym.valueDeclaration)) {
      // super.m(): statically bound to the base class's method.
      site.fixed = sym.valueDeclaration.body ? [this.fnValue(sym.valueDeclaration)] : [];
      site.static = true;
    } else if (receiver && decls.length > 0 && decls.every((d) => ts.isMethodDeclaration(d) && ts.isClassLike(d.parent))) {
      // A class method: the method and every override in a subclass. Resolved after the walk.
      site.fixed = [];
      site.static = true;
      this.pendingHierarchy.push({ site, decls: decls as ts.MethodDeclaration[], name: sym!.name });
      this.pushSite(site);
      return;
    } else {
      site.callee = this.valueNode(expr);
      site.static = sym !== undefined && this.isFixedFunction(sym) && (ts.isIdentifier(expr) || this.isNamespaceMember(expr));
    }
    if (site.fixed) for (const t of site.fixed) this.bindTarget(site, t);
    else this.flow.onValue(site.callee, (t) => this.bindTarget(site, t));
    this.pushSite(site);
  }

  /** A getter or property of the runtime (Greenlet.value) rather than a method: calling it calls its value. */
  private isRuntimeValueProperty(d: ts.Declaration): boolean {
    // A property typed as a function is a method written another way (`declare get: () => T`): not this.
    const valueLike = ts.isGetAccessorDeclaration(d) || (ts.isPropertyDeclaration(d) && d.type !== undefined && !ts.isFunctionTypeNode(d.type));
    return valueLike && !this.isOwn(d) && this.options.acceptsGreen?.(d) === true;
  }

  /**
   * A method of a runtime container (`q.put(x)`, `q.get()`, `result.set(v)`): its arguments are stored under
   * the receiver's element type and its result is read from there. Free functions (`spawn(fn)`) keep what
   * they are given only to call it.
   */
  private containerCall(site: Site, expr: ts.Expression, decl: ts.Declaration | undefined): void {
    const receiver = ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr) ? expr.expression : undefined;
    if (receiver === undefined) return;
    const into = this.elements.write(() => this.typing.typeAt(receiver), true);
    site.args.forEach((a, i) => {
      if (this.storesElement(decl, i)) this.flow.addEdge(a, into);
    });
    const out = this.declaredResult(decl, site.result);
    if (out >= 0) this.flow.addEdge(this.elements.read(() => this.typing.typeAt(receiver)), out);
  }

  /**
   * Does a runtime method keep its argument at `i` as an element: is the parameter typed by the container's
   * element type (`put(item: T)`, `set(value: T)`, `items: Iterable<T>`)? A callback parameter (`rawlink(cb:
   * (g: Greenlet<T>) => void)`, `spawn(fn)`) is called, not handed back. Unknown declarations: stored.
   */
  private storesElement(decl: ts.Declaration | undefined, i: number): boolean {
    if (!decl || !ts.isFunctionLike(decl)) return true;
    const params = decl.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
    const p = params[Math.min(i, params.length - 1)];
    if (!p) return false;
    if (!p.type) return true;
    const t = this.checker.getTypeFromTypeNode(p.type);
    const isParam = (x: ts.Type): boolean => (x.flags & ts.TypeFlags.TypeParameter) !== 0;
    if (isParam(t) || (t.isUnion() && t.types.some(isParam))) return true;
    if (t.getCallSignatures().length > 0) return false;
    if ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) return this.checker.getTypeArguments(t as ts.TypeReference).some(isParam);
    return false;
  }

  /** Resolve an opaque site (a green function reaches one of its arguments): the declaration it calls. */
  resolveOpaque(site: Site): void {
    if (!site.opaque) return;
    site.opaque = false;
    const expr = site.calleeExpr!;
    const nameNode = ts.isPropertyAccessExpression(expr) ? expr.name : ts.isElementAccessExpression(expr) ? expr.argumentExpression : expr;
    const decls = this.symbolAt(nameNode)?.declarations ?? [];
    if (decls.length > 0 && decls.every((d) => !this.isOwn(d))) site.external = decls[0];
  }

  /** An own `const f = Array.from` (a static method of a built-in constructor, which needs no receiver). */
  private staticAlias(sym: ts.Symbol): { expr: ts.PropertyAccessExpression; sym: ts.Symbol; decl: ts.Declaration } | undefined {
    const d = sym.valueDeclaration;
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer || !(ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const)) return undefined;
    const init = skipOuter(d.initializer);
    if (!ts.isPropertyAccessExpression(init) || !ts.isIdentifier(init.expression)) return undefined;
    const target = this.symbolAt(init.name);
    const decl = target?.declarations?.[0];
    if (!decl || this.isOwn(decl) || !declaringInterface(decl)?.endsWith('Constructor')) return undefined;
    return { expr: init, sym: target!, decl };
  }

  /** `ns.f` where `ns` is a namespace import: `f` itself. */
  private isNamespaceMember(expr: ts.Expression): boolean {
    if (!ts.isPropertyAccessExpression(expr) || !ts.isIdentifier(expr.expression)) return false;
    const s = this.symbolAt(expr.expression);
    return s !== undefined && (s.flags & ts.SymbolFlags.ValueModule) !== 0;
  }

  /** A name that always holds one function: a function declaration, a const initialised with a function, or a
   * default export of a function expression. */
  private isFixedFunction(sym: ts.Symbol): boolean {
    const d = sym.valueDeclaration ?? sym.declarations?.[0];
    if (!d) return false;
    if (ts.isFunctionDeclaration(d) || ts.isFunctionExpression(d)) return true;
    if (ts.isVariableDeclaration(d) && ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) return isFunctionExpr(d.initializer);
    if (ts.isExportAssignment(d)) return isFunctionExpr(d.expression);
    return false;
  }

  private externalCall(site: Site, expr: ts.Expression, sym: ts.Symbol, decl: ts.Declaration, args: readonly ts.Expression[]): void {
    site.external = decl;
    const iface = declaringInterface(decl);
    const name = sym.name;
    const receiver = ts.isPropertyAccessExpression(expr) ? expr.expression : undefined;
    if (this.options.acceptsGreen?.(decl)) {
      // The runtime (Queue.putNowait, AsyncResult.set …) keeps what it is given and may hand it back.
      this.containerCall(site, expr, decl);
      for (const d of sym.declarations ?? [decl]) this.forwardedArguments(site, d, args, receiver);
    }
    if (iface !== undefined) {
      const hof = higherOrderBuiltin(iface, name);
      if (hof) {
        site.builtin = hof;
        // The callback receives the elements; what it returns may become an element (map, flatMap).
        const cb = site.args[hof.callback] ?? -1;
        const inner: Site = { node: site.node, container: site.container, callee: cb, args: [], result: this.flow.newNode(), static: false, hot: false };
        for (let i = 0; i < hof.elementParam; i++) inner.args.push(-1);
        const holder = hof.name.endsWith('.from') ? args[0] : receiver;
        inner.args.push(this.receiverElements(holder));
        if (holder !== undefined) inner.elementsOf = { holder, arg: hof.elementParam };
        if (hof.accumulates) this.accumulator(site, inner);
        else this.flow.addEdge(inner.result, this.elem);
        this.flow.onValue(cb, (t) => this.bindTarget(inner, t));
      }
      const fm = functionMethod(iface, name);
      if ((fm === 'call' || fm === 'apply') && receiver && this.appliedBuiltin(site, fm, receiver, args)) return;
      if (fm !== undefined && receiver) {
        site.external = undefined;
        site.functionMethod = fm;
        site.callee = this.valueNode(receiver);
        site.calleeExpr = skipOuter(receiver);
        if (fm === 'bind') {
          // f.bind(thisArg, ...args): a new function value, green exactly when f is.
          const call = site.node as ts.CallExpression;
          const boundArgs = site.args.slice(1);
          this.flow.onValue(site.callee, (t) => {
            // `this.m = this.m.bind(this)` feeds its own result back: bind each function once per site.
            const v = this.values[t]!;
            if (v.kind === 'bound' && v.call === call) return;
            this.flow.addValue(site.result, this.boundValue(call, t, boundArgs));
          });
          this.bindSites.push(site);
          return;
        }
        // f.call(thisArg, ...args) / f.apply(thisArg, args): a call of f.
        site.args = fm === 'call' ? site.args.slice(1) : [];
        site.argExprs = fm === 'call' ? site.argExprs?.slice(1) : [];
        if (fm === 'apply') site.spreadFrom = 0;
        else if (site.spreadFrom !== undefined) site.spreadFrom = Math.max(0, site.spreadFrom - 1);
        this.flow.onValue(site.callee, (t) => this.bindTarget(site, t));
        return;
      }
      const from = elementArgsFrom(iface, name);
      if (from >= 0 && receiver) this.storedIterables(args.slice(from), () => this.typing.typeAt(receiver));
      if (from >= 0) {
        site.storesFrom = from;
        const into = receiver ? this.elements.write(() => this.typing.typeAt(receiver)) : this.elem;
        for (let i = from; i < site.args.length; i++) this.flow.addEdge(site.args[i]!, into);
      }
      if (isContainerInterface(iface) && !hof?.accumulates) {
        const out = this.declaredResult(decl, site.result);
        if (out >= 0) this.flow.addEdge(receiver ? this.elements.read(() => this.typing.typeAt(receiver)) : this.elements.all, out);
      }
      if (iface === 'ArrayConstructor' && name === 'from' && args[0]) site.collectsBlocking = true;
      if (objectValuesMethod(iface, name) && args[0]) {
        // Object.values(o) / Object.entries(o): the elements are o's properties.
        const t = this.typing.typeAt(args[0]);
        const props = this.checker.getPropertiesOfType(this.checker.getApparentType(t));
        if (props.length === 0 || this.checker.getIndexInfosOfType(t).length > 0) this.flow.addEdge(this.anyProp, this.elem);
        else for (const p of props) this.flow.addEdge(this.propNode(p.name), this.elem);
      }
    }
    if (threadBlocker(decl, name, this.options.patch)) site.threadBlocker = { decl, name };
  }

  /**
   * `Array.prototype.map.call(recv, cb)`, `Map.prototype.forEach.apply(recv, [cb])`: the known higher-order
   * built-in read off a prototype, applied to `recv` — the same call as `recv.map(cb)`, whose callback the green
   * built-in calls through the convention. `.apply` only with an array literal (without spreads): any other
   * array hides which argument is the callback. False when `fn` is not such a built-in.
   */
  private appliedBuiltin(site: Site, how: 'call' | 'apply', fn: ts.Expression, args: readonly ts.Expression[]): boolean {
    const m = skipOuter(fn);
    if (!ts.isPropertyAccessExpression(m) || !ts.isPropertyAccessExpression(skipOuter(m.expression)) || (skipOuter(m.expression) as ts.PropertyAccessExpression).name.text !== 'prototype') return false;
    const recv = args[0];
    if (recv === undefined || ts.isSpreadElement(recv)) return false;
    let own: readonly ts.Expression[];
    if (how === 'call') own = args.slice(1);
    else {
      const list = args[1] === undefined ? undefined : skipOuter(args[1]);
      if (args.length > 2 || list === undefined || !ts.isArrayLiteralExpression(list) || list.elements.some(ts.isSpreadElement)) return false;
      own = list.elements;
    }
    const decl = this.symbolAt(m.name)?.declarations?.[0];
    const iface = decl && !this.isOwn(decl) ? declaringInterface(decl) : undefined;
    const hof = iface !== undefined ? higherOrderBuiltin(iface, m.name.text) : undefined;
    if (hof === undefined || hof.name.endsWith('.from')) return false;
    site.applied = { how, receiver: recv, args: own };
    site.calleeExpr = m;
    site.builtin = hof;
    site.args = own.map((a) => (ts.isSpreadElement(a) ? this.elements.read(() => this.typing.typeAt(a.expression)) : this.valueNode(a)));
    site.argExprs = own.map((a) => (ts.isSpreadElement(a) ? undefined : a));
    const spread = own.findIndex(ts.isSpreadElement);
    if (spread >= 0) site.spreadFrom = spread;
    else delete site.spreadFrom;
    const inner: Site = { node: site.node, container: site.container, callee: site.args[hof.callback] ?? -1, args: [], result: this.flow.newNode(), static: false, hot: false };
    for (let i = 0; i < hof.elementParam; i++) inner.args.push(-1);
    inner.args.push(this.receiverElements(recv));
    inner.elementsOf = { holder: recv, arg: hof.elementParam };
    if (hof.accumulates) this.accumulator(site, inner);
    else this.flow.addEdge(inner.result, this.elem);
    this.flow.onValue(inner.callee, (t) => this.bindTarget(inner, t));
    if (!hof.accumulates) {
      const out = this.declaredResult(decl, site.result);
      if (out >= 0) this.flow.addEdge(this.receiverElements(recv), out);
    }
    return true;
  }

  /**
   * reduce/reduceRight (`inner` is the call of its callback): one accumulator per call site, holding the initial
   * value and whatever the callback returns; the callback gets it as its parameter 0 and the call returns it
   * (`mws.reduceRight((acc, mw) => mw(acc), h)` returns what the middlewares return). Without an initial value
   * the first element starts it, so the elements are in it too; a spread may or may not supply one.
   */
  private accumulator(site: Site, inner: Site): void {
    const acc = this.flow.label(this.flow.newNode(), () => `accumulator of ${nodeLabel(site.node)}`);
    inner.args[0] = acc;
    const spread = site.spreadFrom;
    if (spread === undefined || spread > 1) this.flow.addEdge(site.args[1] ?? -1, acc);
    else this.flow.addEdge(site.args[spread] ?? -1, acc);
    // inner.args[1]: the elements the callback receives.
    if (site.args.length < 2 || (spread !== undefined && spread <= 1)) this.flow.addEdge(inner.args[1]!, acc);
    this.flow.addEdge(inner.result, acc);
    this.flow.addEdge(acc, site.result);
  }

  /**
   * A runtime function that later calls a function it is given with other arguments of the same call:
   * `spawn(fn, ...args)` / `pool.spawn` / `spawnLater(s, fn, ...args)` / `new Greenlet(fn, ...args)` (fn's rest
   * type is the type of a rest parameter), `pool.apply(fn, args)` (... of an array parameter), `pool.map(fn,
   * iterable)` / `imap` (fn's item type is the iterable's element type). The arguments flow into fn's
   * parameters, so a green function passed along (`spawn(run, () => sleep(1))`) makes what calls it green. The
   * call of fn happens in another greenlet, not here: only the flow is recorded, not a call site of this
   * function. A static method that builds its receiver from its arguments (`Worker.spawn(...args)`, declared
   * `(this: C, ...args: ConstructorParameters<C>)`) constructs the receiver class with them.
   */
  private forwardedArguments(site: Site, decl: ts.Declaration, args: readonly ts.Expression[], receiver: ts.Expression | undefined): void {
    // A method, or a property typed as a function (`map: <T, R>(fn: …, iterable: …) => R[]`, a bound method).
    const fnDecl = ts.isFunctionLike(decl)
      ? decl
      : (ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) && decl.type && ts.isFunctionTypeNode(decl.type)
        ? decl.type
        : undefined;
    if (fnDecl === undefined) return;
    const thisParam = fnDecl.parameters.find(isThisParameter);
    const params = fnDecl.parameters.filter((p) => !isThisParameter(p));
    const typeName = (t: ts.TypeNode | undefined): string | undefined =>
      t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) ? t.typeName.text : undefined;
    // `A` and `A` of one generic signature, `any[]` and `any[]`: the same type, so the same values.
    const sameType = (a: ts.TypeNode | undefined, b: ts.TypeNode | undefined): boolean =>
      a !== undefined && b !== undefined && this.checker.getTypeFromTypeNode(a) === this.checker.getTypeFromTypeNode(b);
    const from = (j: number): Pick<Site, 'args' | 'argExprs' | 'spreadFrom'> =>
      site.spreadFrom === undefined
        ? { args: site.args.slice(j), argExprs: site.argExprs?.slice(j) }
        : { args: site.args.slice(j), argExprs: site.argExprs?.slice(j), spreadFrom: Math.max(0, site.spreadFrom - j) };
    for (let i = 0; i < params.length; i++) {
      const fnType = params[i]!.type;
      const cb = site.args[i] ?? -1;
      if (fnType === undefined || !ts.isFunctionTypeNode(fnType) || cb < 0) continue;
      const first = fnType.parameters[0];
      let forwarded: Pick<Site, 'args' | 'argExprs' | 'spreadFrom'> | undefined;
      if (first?.dotDotDotToken) {
        for (let j = i + 1; j < params.length; j++) {
          const pj = params[j]!;
          if (!sameType(first.type, pj.type)) continue;
          if (pj.dotDotDotToken) forwarded = from(j);
          else if (j < args.length) forwarded = { args: [this.receiverElements(args[j])], spreadFrom: 0 };
          break;
        }
      } else if (fnType.parameters.length === 1 && first !== undefined) {
        const item = typeName(first.type);
        for (let j = i + 1; item !== undefined && j < params.length && j < args.length; j++) {
          const t = params[j]!.type;
          if (t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === 'Iterable' && typeName(t.typeArguments?.[0]) === item) {
            forwarded = { args: [this.receiverElements(args[j])] };
            break;
          }
        }
      }
      if (forwarded === undefined) continue;
      const inner: Site = { node: site.node, container: site.container, callee: cb, result: this.flow.newNode(), static: false, hot: false, ...forwarded };
      if (makesGreenlet(fnDecl)) {
        // What fn returns comes back as the Greenlet's value: `g.value` (a property) and `g.get()` (an element).
        this.flow.addEdge(inner.result, this.propNode('value'));
        this.flow.addEdge(inner.result, this.elements.write(() => this.typing.typeAt(site.node)));
      }
      this.flow.onValue(cb, (t) => this.bindTarget(inner, t));
    }
    const self = typeName(thisParam?.type);
    const j = params.findIndex((p) => {
      const t = p.type;
      return p.dotDotDotToken && t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === 'ConstructorParameters' && typeName(t.typeArguments?.[0]) === self;
    });
    if (self === undefined || j < 0 || receiver === undefined) return;
    const target = this.classConstructor(receiver, () => this.checker.getTypeAtLocation(receiver).getConstructSignatures()[0]?.declaration);
    if (target === undefined) return;
    const inner: Site = { node: site.node, container: site.container, callee: -1, result: this.flow.newNode(), static: false, hot: false, ...from(j) };
    this.construct(inner, target, args.slice(j));
  }

  /**
   * The elements a built-in hands its callback (`xs.map(cb)`: xs's elements; `Array.from(src, cb)`: src's),
   * filtered by the receiver's element type — asked of the receiver's declared type, which is cheap, before
   * the callback's own unannotated parameter, whose type would mean resolving the whole generic call.
   */
  private receiverElements(holder: ts.Expression | undefined): number {
    if (holder === undefined) return this.elements.all;
    return this.elements.read(() => this.typing.typeAt(holder));
  }

  /**
   * A node in front of `result` that lets through what the declaration's own return type can hold: `join()`
   * returns a string, `map()` an array (whatever its U), `get()` a T (maybe a function). The declared type is
   * read from the declaration, so the call itself is never resolved.
   */
  private declaredResult(decl: ts.Declaration | undefined, result: number): number {
    let cached = this.declaredResults.get(decl ?? this.declaredResults);
    if (cached === undefined) {
      let type: ts.Type | undefined;
      const typeNode = decl && (ts.isFunctionLike(decl) ? decl.type : ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl) || ts.isVariableDeclaration(decl) ? decl.type : undefined);
      if (typeNode && ts.isFunctionLike(decl!)) type = this.checker.getTypeFromTypeNode(typeNode);
      else if (typeNode) type = this.checker.getTypeFromTypeNode(typeNode).getCallSignatures()[0]?.getReturnType();
      cached = type === undefined || this.typing.canHoldFunction(type);
      this.declaredResults.set(decl ?? this.declaredResults, cached);
    }
    if (!cached) return -1;
    return result;
  }
  private declaredResults = new Map<object, boolean>();

  private visitNew(node: ts.NewExpression, c: Container): void {
    const target = this.constructorOf(node);
    if (target === undefined) {
      // `new F()` of a function value (not a class): if F is green, the construct call runs it plainly.
      const callee = this.valueNode(node.expression);
      if (callee >= 0) this.constructs.push({ node, callee, container: c });
    }
    this.bindConstructor(node, node.arguments ?? [], c, true, target);
  }

  private bindConstructor(
    node: ts.CallExpression | ts.NewExpression,
    args: readonly ts.Expression[],
    c: Container,
    record: boolean,
    target = this.constructorOf(node),
  ): void {
    if (target === undefined) return;
    const site = this.newSite(node, c, args);
    if (this.construct(site, target, args) && record) this.pushSite(site);
  }

  /**
   * A construction's arguments (`site.args`) reach what it runs: an own constructor's parameters, or, for the
   * runtime's classes, their elements and the function they run (`new Greenlet(fn, ...args)`). True when the
   * class is untransformed code (the site is then an external call).
   */
  private construct(site: Site, target: Construction, args: readonly ts.Expression[]): boolean {
    if (target.own) {
      this.bindTarget(site, this.fnValue(target.own));
      return false;
    }
    const external = target.external;
    if (!external) return false;
    // `new Promise(fn)`, `new Worker(...)`: untransformed code receiving callbacks.
    site.external = external;
    if (this.options.acceptsGreen?.(external)) {
      // The runtime's containers keep what they are given (`new Queue(items)`): as their elements.
      const into = this.elements.write(() => this.typing.typeAt(site.node), true);
      for (const a of site.args) this.flow.addEdge(a, into);
      const ctors = ts.isClassLike(external) ? external.members.filter(ts.isConstructorDeclaration) : [external];
      for (const d of ctors) this.forwardedArguments(site, d, args, undefined);
    }
    return true;
  }

  /**
   * What `new X(...)` or `super(...)` runs: an own constructor (found by walking the class and its bases, not
   * by resolving the call's signature, which would type-check every argument), an untransformed declaration,
   * or nothing (an own class without any constructor).
   */
  private constructorOf(node: ts.CallExpression | ts.NewExpression): Construction | undefined {
    const classExpr = ts.isNewExpression(node) ? node.expression : baseClassExpression(ts.findAncestor(node, ts.isClassLike));
    return this.classConstructor(classExpr, () => this.checker.getResolvedSignature(node)?.declaration);
  }

  /** The constructor that constructing `classExpr` runs; `resolve` asks the checker when the walk cannot tell. */
  private classConstructor(classExpr: ts.Expression | undefined, resolve: () => ts.SignatureDeclaration | ts.JSDocSignature | undefined): Construction | undefined {
    for (let depth = 0; classExpr !== undefined && depth < 32; depth++) {
      const e = skipOuter(classExpr);
      const sym = ts.isIdentifier(e) ? this.symbolAt(e) : ts.isPropertyAccessExpression(e) ? this.symbolAt(e.name) : undefined;
      const decls = sym?.declarations ?? [];
      const cls = decls.find(ts.isClassLike);
      if (cls === undefined) {
        if (decls.length > 0 && decls.every((d) => !this.isOwn(d))) return { external: decls[0]! };
        break; // a variable holding a class, a call returning one: ask the checker
      }
      if (!this.isOwn(cls)) return { external: cls };
      const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
      if (ctor) return { own: ctor };
      classExpr = baseClassExpression(cls);
      if (classExpr === undefined) return {};
    }
    const decl = resolve();
    if (!decl || ts.isJSDocSignature(decl)) return undefined;
    if (this.isOwn(decl)) return ts.isConstructorDeclaration(decl) && decl.body ? { own: decl } : {};
    return { external: decl };
  }

  /** A function value reached a call site: its parameters receive the arguments, the call its return. */
  bindTarget(site: Site, target: number, args: readonly number[] = site.args, spreadFrom = site.spreadFrom ?? -1, exprs = site.argExprs ?? []): void {
    const v = this.values[target]!;
    if (v.kind === 'bound') {
      const n = v.boundArgs.length;
      this.bindTarget(site, v.target, [...v.boundArgs, ...args], spreadFrom >= 0 ? spreadFrom + n : -1, [...new Array<undefined>(n), ...exprs]);
      return;
    }
    if (v.kind !== 'fn') return;
    const params = v.node.parameters;
    let offset = 0;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (i === 0 && ts.isIdentifier(p.name) && p.name.text === 'this') {
        offset = 1;
        continue;
      }
      const ai = i - offset;
      if (p.dotDotDotToken) {
        const into = this.restElements(p);
        for (let j = ai; j < args.length; j++) this.flow.addEdge(args[j]!, into);
        break;
      }
      const pn = ts.isIdentifier(p.name) ? this.paramNode(p) : -1;
      const spread = spreadFrom >= 0 && ai >= spreadFrom;
      let src = spread ? (args[spreadFrom] ?? this.elements.all) : ai < args.length ? args[ai]! : -1;
      if (pn >= 0 && !spread && ai < args.length) {
        src = site.elementsOf?.arg === ai ? this.elementHandOff(site.elementsOf.holder, p, src) : this.argumentHandOff(site, args, ai, exprs[ai], p, src);
      }
      if (pn >= 0) this.flow.addEdge(src, pn);
      else if (src >= 0) this.bindName(p.name, src);
    }
    if (site.node.kind !== ts.SyntaxKind.NewExpression) this.flow.addEdge(this.retNode(v.node), site.result);
  }

  /**
   * Where the arguments gathered by a rest parameter go. A rest array is made fresh by each call, so when its
   * element type says nothing (`...args: unknown[]`, `...args: A` of a generic wrapper) its elements are its
   * own: reads of unknown type (`args[0]`, `f(...args)` in the function) see them, typed reads elsewhere (every
   * `for (const h of handlers)`) do not, as they would through the shared untyped field.
   */
  private restElements(p: ts.ParameterDeclaration): number {
    let n = this.restNodes.get(p);
    if (n === undefined) {
      const restSym = ts.isIdentifier(p.name) ? this.declSymbol(p) : undefined;
      if (!restSym) n = this.elem;
      else {
        const t = this.checker.getTypeOfSymbol(restSym);
        n = this.elements.hasKey(t) ? this.elements.write(() => t) : this.elements.privateField();
      }
      this.restNodes.set(p, n);
    }
    return n;
  }
  private restNodes = new Map<ts.ParameterDeclaration, number>();

  // ---- class hierarchy ---------------------------------------------------------------------------------

  /** After the walk: a class method call's targets are the method and its overrides in every subclass. */
  private resolveHierarchy(): void {
    for (const cls of this.classes) this.hierarchy.addClass(cls);
    for (const { site, decls, name } of this.pendingHierarchy) {
      const fixed = new Set<number>();
      for (const d of decls) {
        if (d.body) fixed.add(this.fnValue(d));
        for (const o of this.hierarchy.overridesOf(d)) fixed.add(this.fnValue(o));
      }
      site.fixed = [...fixed];
      for (const t of site.fixed) this.bindTarget(site, t);
      if (this.assignedProps.has(name)) {
        // `this.m = this.m.bind(this)` and the like: the property may hold other values than the methods.
        site.reassignable = true;
        site.callee = this.propNode(name);
        this.flow.onValue(site.callee, (t) => {
          if (!fixed.has(t)) this.bindTarget(site, t);
        });
      }
    }
    this.pendingHierarchy = [];
  }
}

/** A runtime declaration that runs the function it is given in a new Greenlet: spawn*, pool.spawn, new Greenlet. */
function makesGreenlet(decl: ts.SignatureDeclaration): boolean {
  if (ts.isConstructorDeclaration(decl)) return ts.isClassLike(decl.parent) && decl.parent.name?.text === 'Greenlet';
  const t = decl.type;
  return t !== undefined && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === 'Greenlet';
}
