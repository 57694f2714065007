/**
 * One walk over the program's own source files: records every container (function-like, field initialiser,
 * static block, module top level), every call site and iteration in it, and builds the flow graph of function
 * values (flow.ts). The checker is used only where a name must be resolved (callees, identifiers whose value
 * may be a function) — no full type check of the program.
 */
import ts from 'typescript';
import type { PatchOptions } from '../api.js';
import type { FunctionLike } from './types.js';
import type { Container, ContainerKind, Iteration, Site, Value } from './model.js';
import { FlowGraph } from './flow.js';
import { BlockingIterables } from './iterables.js';
import { hasJSDocTag, isAbstractDeclaration, resolveAlias, symbolHasTag } from './tags.js';
import {
  declaringInterface,
  elementArgsFrom,
  functionMethod,
  higherOrderBuiltin,
  isContainerInterface,
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

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

export interface CollectOptions {
  patch?: boolean | PatchOptions;
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
  readonly iterables: BlockingIterables;
  readonly elem: number;
  /** Spread argument position per site (first spread index), for parameter binding. */
  private spreadFrom = new Map<Site, number>();
  private fnValues = new Map<ts.Node, number>();
  private rootValues = new Map<ts.Symbol, number>();
  private constNodes = new Map<number, number>();
  private varNodes = new Map<ts.Symbol | ts.Node, number>();
  private propNodes = new Map<string, number>();
  private retNodes = new Map<ts.Node, number>();
  private callResults = new Map<ts.Node, number>();
  private rootCache = new Map<ts.Symbol, boolean>();
  private classes: Array<ts.ClassLikeDeclaration> = [];
  private overrides: Map<ts.Symbol, number[]> | undefined;

  constructor(
    readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
    readonly ownFiles: ReadonlySet<ts.SourceFile>,
    readonly options: CollectOptions,
  ) {
    this.iterables = new BlockingIterables(checker);
    this.elem = this.flow.newNode();
  }

  collect(): void {
    for (const sf of this.ownFiles) {
      const top = this.newContainer(ts.isExternalModule(sf) ? 'top' : 'script', sf, sf, -1);
      this.fileContainers.set(sf, top);
      this.visit(sf, top);
    }
    this.resolveHierarchy();
    this.flow.solve();
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

  private constNode(value: number): number {
    let n = this.constNodes.get(value);
    if (n === undefined) {
      n = this.flow.newNode();
      this.flow.addValue(n, value);
      this.constNodes.set(value, n);
    }
    return n;
  }

  private varNode(key: ts.Symbol | ts.Node): number {
    let n = this.varNodes.get(key);
    if (n === undefined) this.varNodes.set(key, (n = this.flow.newNode()));
    return n;
  }

  private propNode(name: string): number {
    let n = this.propNodes.get(name);
    if (n === undefined) this.propNodes.set(name, (n = this.flow.newNode()));
    return n;
  }

  retNode(fn: ts.Node): number {
    let n = this.retNodes.get(fn);
    if (n === undefined) this.retNodes.set(fn, (n = this.flow.newNode()));
    return n;
  }

  private callResult(call: ts.Node): number {
    let n = this.callResults.get(call);
    if (n === undefined) this.callResults.set(call, (n = this.flow.newNode()));
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
        return this.elem;
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

  private paramNode(p: ts.ParameterDeclaration): number {
    if (!ts.isIdentifier(p.name)) return -1;
    const sym = this.declSymbol(p);
    return sym ? this.varNode(sym) : -1;
  }

  /** `target = src` for an assignment target (identifier, property, element, destructuring). */
  private assignTo(target: ts.Expression, src: number): void {
    const t = skipOuter(target);
    if (ts.isIdentifier(t)) {
      const sym = this.symbolAt(t);
      if (sym) this.flow.addEdge(src, this.varNode(sym));
    } else if (ts.isPropertyAccessExpression(t)) {
      this.flow.addEdge(src, this.propNode(t.name.text));
    } else if (ts.isElementAccessExpression(t)) {
      const a = t.argumentExpression;
      this.flow.addEdge(src, ts.isStringLiteralLike(a) ? this.propNode(a.text) : this.elem);
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
        this.assignTo(ts.isBinaryExpression(el) && el.operatorToken.kind === ts.SyntaxKind.EqualsToken ? el.left : el, this.elem);
      }
    } else if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.assignTo(t.left, src);
    }
  }

  /** A binding pattern receiving `src` (object patterns read fields by name: field-based). */
  private bindName(name: ts.BindingName, src: number): void {
    if (ts.isIdentifier(name)) {
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
        from = this.elem;
      }
      this.bindName(el.name, from);
      if (el.initializer) this.bindName(el.name, this.valueNode(el.initializer));
    }
  }

  // ---- the walk ----------------------------------------------------------------------------------------

  private newContainer(kind: ContainerKind, node: Container['node'], sf: ts.SourceFile, value: number): Container {
    const c: Container = { kind, node, sourceFile: sf, value, sites: [], iterations: [], blocks: false };
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
      case ts.SyntaxKind.PropertyDeclaration: {
        const p = node as ts.PropertyDeclaration;
        if (!p.initializer) break;
        const n = propName(p.name);
        if (n !== undefined) this.flow.addEdge(this.valueNode(p.initializer), this.propNode(n));
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
          this.bindName(d.name, this.valueNode(d.initializer));
          if (ts.isArrayBindingPattern(d.name)) this.addIteration(d.name, d.initializer, c);
        }
        break;
      }
      case ts.SyntaxKind.ForOfStatement: {
        const f = node as ts.ForOfStatement;
        if (!f.awaitModifier) this.addIteration(f, f.expression, c);
        if (ts.isVariableDeclarationList(f.initializer)) {
          for (const d of f.initializer.declarations) {
            this.bindName(d.name, this.elem);
            if (ts.isArrayBindingPattern(d.name)) this.addIteration(d.name, undefined, c);
          }
        } else {
          this.assignTo(f.initializer, this.elem);
        }
        break;
      }
      case ts.SyntaxKind.SpreadElement: {
        const s = node as ts.SpreadElement;
        this.addIteration(s, s.expression, c);
        break;
      }
      case ts.SyntaxKind.ArrayLiteralExpression: {
        const a = node as ts.ArrayLiteralExpression;
        for (const el of a.elements) if (!ts.isSpreadElement(el)) this.flow.addEdge(this.valueNode(el), this.elem);
        break;
      }
      case ts.SyntaxKind.ObjectLiteralExpression: {
        for (const p of (node as ts.ObjectLiteralExpression).properties) {
          if (ts.isPropertyAssignment(p)) {
            const n = propName(p.name);
            if (n !== undefined) this.flow.addEdge(this.valueNode(p.initializer), this.propNode(n));
          } else if (ts.isShorthandPropertyAssignment(p)) {
            const sym = resolveAlias(this.checker, this.checker.getShorthandAssignmentValueSymbol(p));
            if (sym) {
              const src = this.isRoot(sym) ? this.constNode(this.rootValue(sym)) : this.varNode(sym);
              this.flow.addEdge(src, this.propNode(p.name.text));
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
        if (r.expression && c.value >= 0) this.flow.addEdge(this.valueNode(r.expression), this.retNode(c.node));
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
      : fn.name && ts.isPrivateIdentifier(fn.name) ? 'private'
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
    }
    if (kind === 'fn' && this.isTaggedRoot(fn)) this.rootContainers.push(c);
    for (const p of fn.parameters) {
      if (!ts.isIdentifier(p.name)) this.bindName(p.name, -1);
      if (p.initializer) {
        if (ts.isIdentifier(p.name)) this.flow.addEdge(this.valueNode(p.initializer), this.paramNode(p));
        else this.bindName(p.name, this.valueNode(p.initializer));
      }
    }
    ts.forEachChild(fn, (ch) => {
      if (ts.isParameter(ch) && ch.initializer) {
        // Default values are evaluated where generators cannot yield: their own container.
        const dc = this.newContainer('default', ch, c.sourceFile, -1);
        this.containerOf.set(ch, dc);
        this.visit(ch, dc);
      } else this.visit(ch, c);
    });
  }

  /** An own function-like declared `@blocking` (directly, or as the initialiser of a tagged const/property). */
  private isTaggedRoot(fn: FunctionLike): boolean {
    if (hasJSDocTag(fn, 'blocking')) return true;
    const p = fn.parent;
    return (ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p)) && p.initializer === fn && hasJSDocTag(p, 'blocking');
  }

  private addIteration(node: ts.Node, iterable: ts.Expression | undefined, c: Container): void {
    const it: Iteration = { node, iterable: iterable ?? (node as ts.Expression), container: c };
    c.iterations.push(it);
    this.iterations.push(it);
  }

  /** How a call to a root is emitted: through [GREEN] when it is one fixed green value, else tested at run time. */
  private rootCallKind(sym: ts.Symbol): 'green' | 'dynamic' {
    if (sym.declarations?.some(isAbstractDeclaration)) return 'dynamic';
    // A root that returns a blocking iterable (iwait) may be an ordinary function: the iteration is what blocks.
    for (const sig of this.checker.getTypeOfSymbol(sym).getCallSignatures()) {
      if (this.iterables.kindOf(sig.getReturnType()) !== 'plain') return 'dynamic';
    }
    return 'green';
  }

  private newSite(node: Site['node'], c: Container, args: readonly ts.Expression[]): Site {
    const site: Site = { node, container: c, callee: -1, args: [], static: false, hot: false };
    let spread = -1;
    args.forEach((a, i) => {
      if (ts.isSpreadElement(a)) {
        if (spread < 0) spread = i;
        site.args.push(this.elem);
      } else site.args.push(this.valueNode(a));
    });
    if (spread >= 0) this.spreadFrom.set(site, spread);
    return site;
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
    const sym = nameNode ? this.symbolAt(nameNode) : undefined;
    if (sym && this.isRoot(sym)) {
      site.root = { kind: this.rootCallKind(sym), symbol: sym };
      this.pushSite(site);
      return;
    }
    const decls = sym?.declarations ?? [];
    if (decls.length > 0 && decls.every((d) => !this.isOwn(d))) {
      this.externalCall(site, expr, sym!, decls[0]!, args);
      this.pushSite(site);
      return;
    }
    const receiver = ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr) ? skipOuter(expr.expression) : undefined;
    if (receiver?.kind === ts.SyntaxKind.SuperKeyword && sym?.valueDeclaration && isFunctionLikeNode(sym.valueDeclaration)) {
      // super.m(): statically bound to the base class's method.
      site.fixed = [this.fnValue(sym.valueDeclaration)];
      site.static = true;
    } else if (receiver && decls.length > 0 && decls.every((d) => ts.isMethodDeclaration(d) && ts.isClassLike(d.parent))) {
      // A class method: the method and every override in a subclass (the hierarchy bounds it better than the
      // field-based `m` property, which merges every class's `m`). Resolved after the walk.
      site.fixed = [];
      site.static = true;
      this.pendingHierarchy.push({ site, decls: decls as ts.MethodDeclaration[] });
      this.pushSite(site);
      return;
    } else {
      site.callee = this.valueNode(expr);
      site.calleeExpr = expr;
      site.static = ts.isIdentifier(expr) && sym !== undefined && this.isFixedFunction(sym);
    }
    if (site.fixed) for (const t of site.fixed) this.bindTarget(site, t);
    else this.flow.onValue(site.callee, (t) => this.bindTarget(site, t));
    this.pushSite(site);
  }

  /** A name that always holds one function: a function declaration, or a const initialised with a function. */
  private isFixedFunction(sym: ts.Symbol): boolean {
    const d = sym.valueDeclaration;
    if (!d) return false;
    if (ts.isFunctionDeclaration(d)) return true;
    if (ts.isVariableDeclaration(d) && d.initializer && ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) {
      const init = skipOuter(d.initializer);
      return ts.isArrowFunction(init) || ts.isFunctionExpression(init);
    }
    return false;
  }

  private externalCall(site: Site, expr: ts.Expression, sym: ts.Symbol, decl: ts.Declaration, args: readonly ts.Expression[]): void {
    site.external = decl;
    const iface = declaringInterface(decl);
    const name = sym.name;
    const receiver = ts.isPropertyAccessExpression(expr) ? expr.expression : undefined;
    if (iface !== undefined) {
      const hof = higherOrderBuiltin(iface, name);
      if (hof) {
        site.builtin = hof;
        // The callback receives the elements; what it returns may become an element (map, flatMap).
        const cb = site.args[hof.callback] ?? -1;
        const inner: Site = { node: site.node, container: site.container, callee: cb, args: [], static: false, hot: false };
        for (let i = 0; i < hof.elementParam; i++) inner.args.push(-1);
        inner.args.push(this.elem);
        this.flow.onValue(cb, (t) => this.bindTarget(inner, t));
        this.flow.addEdge(this.callResult(site.node), this.elem);
      }
      const fm = functionMethod(iface, name);
      if (fm === 'bind' && receiver) {
        this.flow.addEdge(this.valueNode(receiver), this.callResult(site.node));
      } else if ((fm === 'call' || fm === 'apply') && receiver) {
        // f.call(thisArg, ...args) / f.apply(thisArg, args): a call of f.
        site.external = undefined;
        site.functionMethod = fm;
        site.callee = this.valueNode(receiver);
        site.calleeExpr = receiver;
        site.args = fm === 'call' ? site.args.slice(1) : [];
        if (fm === 'apply') this.spreadFrom.set(site, 0);
        this.flow.onValue(site.callee, (t) => this.bindTarget(site, t));
        return;
      }
      const from = elementArgsFrom(iface, name);
      if (from >= 0) for (let i = from; i < site.args.length; i++) this.flow.addEdge(site.args[i]!, this.elem);
      if (isContainerInterface(iface)) this.flow.addEdge(this.elem, this.callResult(site.node));
      if (iface === 'ArrayConstructor' && name === 'from' && args[0]) site.collectsBlocking = true;
    }
    if (threadBlocker(decl, name, this.options.patch)) site.threadBlocker = { decl, name };
  }

  private visitNew(node: ts.NewExpression, c: Container): void {
    this.bindConstructor(node, node.arguments ?? [], c, true);
  }

  private bindConstructor(node: ts.CallExpression | ts.NewExpression, args: readonly ts.Expression[], c: Container, record: boolean): void {
    const decl = this.checker.getResolvedSignature(node)?.declaration;
    if (!decl || ts.isJSDocSignature(decl)) return;
    const site = this.newSite(node, c, args);
    if (this.isOwn(decl)) {
      if (ts.isConstructorDeclaration(decl) && decl.body) this.bindTarget(site, this.fnValue(decl));
      return;
    }
    // `new Promise(fn)`, `new Worker(...)`: untransformed code receiving callbacks.
    site.external = decl;
    if (record) this.pushSite(site);
  }

  /** A function value reached a call site: its parameters receive the arguments, the call its return. */
  private bindTarget(site: Site, target: number): void {
    const v = this.values[target]!;
    if (v.kind !== 'fn') return;
    const params = v.node.parameters;
    const spread = this.spreadFrom.get(site) ?? -1;
    let offset = 0;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (i === 0 && ts.isIdentifier(p.name) && p.name.text === 'this') {
        offset = 1;
        continue;
      }
      const ai = i - offset;
      const pn = this.paramNode(p);
      if (p.dotDotDotToken) {
        for (let j = ai; j < site.args.length; j++) this.flow.addEdge(site.args[j]!, this.elem);
        break;
      }
      if (spread >= 0 && ai >= spread) this.flow.addEdge(this.elem, pn);
      else if (ai < site.args.length) this.flow.addEdge(site.args[ai]!, pn);
    }
    if (site.node.kind !== ts.SyntaxKind.NewExpression) this.flow.addEdge(this.retNode(v.node), this.callResult(site.node));
  }

  // ---- class hierarchy ---------------------------------------------------------------------------------

  /** Method calls waiting for the class hierarchy (every class must have been seen first). */
  private pendingHierarchy: Array<{ site: Site; decls: ts.MethodDeclaration[] }> = [];

  /** After the walk: a class method call's targets are the method and its overrides in every subclass. */
  private resolveHierarchy(): void {
    this.overrides = new Map();
    for (const cls of this.classes) this.addClassOverrides(cls);
    for (const { site, decls } of this.pendingHierarchy) {
      const fixed = new Set<number>();
      for (const d of decls) {
        if (d.body) fixed.add(this.fnValue(d));
        const ds = this.declSymbol(d);
        if (ds) for (const o of this.overrides.get(ds) ?? []) fixed.add(o);
      }
      site.fixed = [...fixed];
      for (const t of site.fixed) this.bindTarget(site, t);
    }
    this.pendingHierarchy = [];
  }

  private addClassOverrides(cls: ts.ClassLikeDeclaration): void {
    const members: Array<[string, number]> = [];
    for (const m of cls.members) {
      const n = propName(m.name);
      if (n === undefined) continue;
      if (ts.isMethodDeclaration(m) && m.body) members.push([n, this.fnValue(m)]);
      else if (ts.isPropertyDeclaration(m) && m.initializer) {
        const init = skipOuter(m.initializer);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) members.push([n, this.fnValue(init)]);
      }
    }
    if (members.length === 0) return;
    const clsSym = cls.name ? this.checker.getSymbolAtLocation(cls.name) : (cls as { symbol?: ts.Symbol }).symbol;
    if (!clsSym) return;
    const ancestors: ts.Type[] = [];
    const seen = new Set<ts.Type>();
    const walk = (t: ts.Type) => {
      const target = (t as ts.TypeReference).target ?? t;
      if (seen.has(target)) return;
      seen.add(target);
      ancestors.push(t);
      if (target.isClassOrInterface()) for (const b of this.checker.getBaseTypes(target)) walk(b);
    };
    const self = this.checker.getDeclaredTypeOfSymbol(clsSym);
    if (self.isClassOrInterface()) for (const b of this.checker.getBaseTypes(self)) walk(b);
    for (const h of cls.heritageClauses ?? []) {
      if (h.token !== ts.SyntaxKind.ImplementsKeyword) continue;
      for (const t of h.types) walk(this.checker.getTypeAtLocation(t));
    }
    for (const a of ancestors) {
      for (const [name, v] of members) {
        const p = this.checker.getPropertyOfType(a, name);
        if (!p) continue;
        const key = resolveAlias(this.checker, p);
        for (const d of key?.declarations ?? []) {
          const ds = this.declSymbol(d as ts.NamedDeclaration) ?? key!;
          let list = this.overrides!.get(ds);
          if (!list) this.overrides!.set(ds, (list = []));
          if (!list.includes(v)) list.push(v);
        }
      }
    }
  }
}
