/**
 * The rewrite of one source file: green functions into generator form, and inside them the calls and
 * iterations the analysis marked. Everything else is returned as the very same nodes, so TypeScript prints
 * plain code exactly as it would without the transform.
 *
 * Shapes (docs/architecture.md):
 *   function f(a) { body }   →  __gl.install(f, f$green);            (top of the enclosing scope)
 *                               function* f$green(a, __t0) { body }  (in place: same lines)
 *                               function f(a) { return __gl.runPlain(f$green.apply(this, arguments), "f"); }  (end of scope)
 *   (a) => body              →  __gl.fn(function* (a, __t0) { body }.bind(this), "name", 1)   (bind only if `this` is used)
 *   class { m(a) { body } }  →  class { *m(a, __t0) { body } static { __gl.methods(this.prototype, ["m", 1], "C"); } }
 *   { m(a) { body } }        →  __gl.methods({ *m(a, __t0) { body } }, ["m", 1])
 *   class { #m(a) { body } } →  class { *#m$green(a, __t0) { body } #m(a) { return __gl.runPlain(...) } }  (private-methods.ts)
 * Temporaries are trailing parameters (a `var` when there is a rest parameter), so no line is added.
 */
import ts from 'typescript';
import type { FunctionLike } from '../analysis/types.js';
import { bodyDefaults } from '../analysis/defaults.js';
import { CallRewriter } from './calls.js';
import { type EmitContext, GenState, skipOuter, skipParens, yieldStar } from './context.js';
import { collectForPattern, lowerArrayAssignment, lowerElementPattern, lowerForOf, lowerSpread } from './iterations.js';
import { formalLength, inferredName, lexicalUses, wrapperParameters } from './scan.js';
import { type Lexical, lexicalCapture, visitLexical } from './lexical.js';
import { EmitError, describeNode } from './emit-error.js';
import { generatorName, greenPrivateMethod, isCalled, plainPrivateMethod, privateMethodValue } from './private-methods.js';

interface ScopeFrame {
  /** `[wrapper, generator, own name?]` of the scope's green declarations: one `__gl.install(...)` statement. */
  installs: Array<[string, string, string?]>;
  wrappers: ts.Statement[];
}

interface MemberFrame {
  instance: ts.Expression[];
  statics: ts.Expression[];
  /** The plain forms of green #private methods (private-methods.ts), added at the end of the class. */
  privates: ts.ClassElement[];
}

export class Rewriter {
  /** The green function whose body is being visited; undefined in plain code. */
  st: GenState | undefined;
  /** Inside a green arrow (and the arrows within it): what `arguments`, `super` and `new.target` of the
   * enclosing function are renamed to (the arrow's body is now a generator function, which has its own). */
  lex: Lexical | undefined;
  private readonly scopes = new Map<ts.Node, ScopeFrame>();
  private readonly members = new Map<ts.Node, MemberFrame>();
  readonly f: ts.NodeFactory;

  constructor(
    readonly ctx: EmitContext,
    readonly tctx: ts.TransformationContext,
  ) {
    this.f = ctx.factory;
  }

  readonly visit = (node: ts.Node): ts.Node => {
    if (this.ctx.analysis.spawnAdapted.has(node as ts.Expression) && !isMethodName(node)) {
      // A green function passed where a void callback is expected: a greenlet per call (design.md §4).
      const inner = this.visitNode(node) as ts.Expression;
      return ts.setTextRange(this.f.createCallExpression(this.ctx.helper('adaptSpawn'), undefined, [inner]), node);
    }
    if (ts.isShorthandPropertyAssignment(node) && this.ctx.analysis.spawnAdapted.has(node.name)) {
      // `{ handler }` given to untransformed code: `{ handler: adaptSpawn(handler) }`.
      const value = this.visit(node.name) as ts.Expression;
      return ts.setTextRange(this.f.createPropertyAssignment(node.name.text, value), node);
    }
    return this.visitNode(node);
  };

  private visitNode(node: ts.Node): ts.Node {
    const st = this.st;
    if (this.lex !== undefined) {
      const r = visitLexical(this, node, this.lex);
      if (r !== undefined) return r;
    }
    if (ts.isFunctionLike(node)) return this.visitFunction(node);
    if (ts.isClassLike(node)) return this.visitClass(node);
    if (ts.isObjectLiteralExpression(node)) return this.visitObject(node);
    if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      return this.visitScope(node);
    }
    if (ts.isCaseBlock(node)) return this.visitCaseBlock(node);
    if (ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) {
      // Field initialisers and static blocks run in constructor context: never inside a generator.
      return this.plain(node);
    }
    if (ts.isDecorator(node)) return node;
    if (ts.isPropertyAccessExpression(node) && ts.isPrivateIdentifier(node.name) && !isCalled(node) && greenPrivateMethod(this.ctx, node.name)) {
      return privateMethodValue(this.ctx, node, this.visit(node.expression) as ts.Expression);
    }
    if (st === undefined && ts.isCallExpression(node) && this.ctx.analysis.bindCalls?.has(node)) {
      const r = this.plainBind(node);
      if (r !== undefined) return r;
    }
    if (st !== undefined) {
      const r = this.visitInGreen(node, st);
      if (r !== undefined) return r;
    }
    return ts.visitEachChild(node, this.visit, this.tctx);
  }

  /** `f.bind(t, ...a)` in plain code where `f` may be green: `__gl.bind(f, t, ...a)` keeps the green form. */
  private plainBind(node: ts.CallExpression): ts.Node | undefined {
    const callee = skipOuter(node.expression);
    if (node.questionDotToken !== undefined || !ts.isPropertyAccessExpression(callee) || callee.questionDotToken !== undefined) return undefined;
    if (callee.name.text !== 'bind' || ts.isOptionalChain(callee.expression)) return undefined;
    const f = this.f;
    const args = [callee.expression, ...node.arguments].map((a) => this.visit(a) as ts.Expression);
    return ts.setTextRange(f.createCallExpression(this.ctx.helper('bind'), undefined, args), node);
  }

  /** Visit `node` as plain code (no generator context). */
  plain<T extends ts.Node>(node: T, keepAlias = false): T {
    const st = this.st;
    const lex = this.lex;
    this.st = undefined;
    if (!keepAlias) this.lex = undefined;
    try {
      return ts.visitEachChild(node, this.visit, this.tctx);
    } finally {
      this.st = st;
      this.lex = lex;
    }
  }

  private visitInGreen(node: ts.Node, st: GenState): ts.Node | undefined {
    const a = this.ctx.analysis;
    if (ts.isIdentifier(node)) return node;
    if (ts.isOptionalChain(node)) {
      if (isChainOuter(node) && this.chainHasRewrite(node)) {
        return ts.setTextRange(new CallRewriter(this.ctx, st, this.visit, this.lex).rewriteChain(node), node);
      }
      return undefined;
    }
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const site = a.calls.get(node);
      if (site !== undefined && site.kind !== 'plain') {
        return ts.setTextRange(new CallRewriter(this.ctx, st, this.visit, this.lex).rewriteCall(node), node);
      }
      return undefined;
    }
    if (ts.isSourceFile(st.node)) {
      // Top-level code in the main greenlet (a generator): `await` waits as waitFor does.
      if (ts.isAwaitExpression(node)) {
        return ts.setTextRange(yieldStar(this.f.createCallExpression(this.ctx.helper('awaitValue'), undefined, [this.visit(node.expression) as ts.Expression])), node);
      }
      if (ts.isForOfStatement(node) && node.awaitModifier !== undefined) return lowerForOf(this.ctx, node, [], this.visit, this.blocksFn, true);
      if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) {
        this.ctx.report(
          node,
          'GL2003',
          'error',
          '`await using` in top-level code that runs in the main greenlet (this module\'s top level blocks) is not supported. Fix: use `using` with a Disposable, or move the block into an async function and `waitFor()` it.',
        );
      }
    }
    if (ts.isForOfStatement(node)) {
      if (this.blocks(node)) return lowerForOf(this.ctx, node, [], this.visit, this.blocksFn);
      if (elementPattern(node) !== undefined && this.blocks(elementPattern(node)!)) return lowerElementPattern(this.ctx, node, this.visit);
      return undefined;
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isArrayLiteralExpression(skipOuter(node.left)) &&
      this.blocks(node.left)
    ) {
      return lowerArrayAssignment(this.ctx, st, node, this.visit);
    }
    if (ts.isLabeledStatement(node)) {
      const labels: ts.Identifier[] = [];
      let s: ts.Statement = node;
      while (ts.isLabeledStatement(s)) {
        labels.push(s.label);
        s = s.statement;
      }
      if (ts.isForOfStatement(s) && s.awaitModifier !== undefined && ts.isSourceFile(st.node)) {
        return lowerForOf(this.ctx, s, labels, this.visit, this.blocksFn, true);
      }
      if (ts.isForOfStatement(s) && this.blocks(s)) return lowerForOf(this.ctx, s, labels, this.visit, this.blocksFn);
      return undefined;
    }
    if (ts.isSpreadElement(node) && this.blocks(node)) return lowerSpread(this.ctx, node, this.visit);
    if (ts.isVariableDeclaration(node) && ts.isArrayBindingPattern(node.name) && node.initializer && this.blocks(node.name)) {
      const init = this.visit(node.initializer) as ts.Expression;
      return this.f.updateVariableDeclaration(
        node,
        this.visit(node.name) as ts.BindingName,
        node.exclamationToken,
        node.type,
        collectForPattern(this.ctx, node.name, init),
      );
    }
    return undefined;
  }

  private readonly blocksFn = (node: ts.Node): boolean => this.blocks(node);

  private blocks(node: ts.Node): boolean {
    const k = this.ctx.analysis.iterations.get(node);
    if (k !== undefined) return k !== 'plain';
    // forceGreen marks declarations, for-of and spreads; destructuring assignments and for-of element
    // patterns are treated the same here, so the differential tests exercise their lowering too.
    if (this.ctx.options.forceGreen) {
      const p = node.parent;
      if (ts.isArrayLiteralExpression(skipOuter(node as ts.Expression)) && p !== undefined && ts.isBinaryExpression(p) && p.left === node) return true;
      if (ts.isArrayBindingPattern(node) && p !== undefined && ts.isVariableDeclaration(p) && ts.isVariableDeclarationList(p.parent) && ts.isForOfStatement(p.parent.parent)) return true;
    }
    return false;
  }

  private chainHasRewrite(outer: ts.Node): boolean {
    let n: ts.Node = outer;
    for (;;) {
      if (ts.isCallExpression(n)) {
        const site = this.ctx.analysis.calls.get(n);
        if (site !== undefined && site.kind !== 'plain') return true;
      }
      if (!ts.isOptionalChain(n)) return false;
      n = n.expression;
    }
  }

  // ---- functions -------------------------------------------------------------------------------------

  private visitFunction(node: ts.SignatureDeclaration): ts.Node {
    const ctx = this.ctx;
    if (!ctx.isGreen(node)) {
      return this.plain(node, ts.isArrowFunction(node));
    }
    try {
      return this.visitGreenFunction(node);
    } catch (e) {
      if (e instanceof EmitError) throw e;
      throw new EmitError(node, describeNode(node), e);
    }
  }

  private visitGreenFunction(node: ts.SignatureDeclaration): ts.Node {
    const ctx = this.ctx;
    const why = this.refusal(node as FunctionLike);
    if (why !== undefined) {
      ctx.report(node, 'GL2002', ctx.options.forceGreen ? 'info' : 'error', why);
      return this.plain(node, ts.isArrowFunction(node));
    }
    if (ts.isFunctionDeclaration(node)) return this.greenDeclaration(node);
    if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) return this.greenExpression(node);
    if (ts.isMethodDeclaration(node)) return this.greenMethod(node);
    return this.plain(node);
  }

  /** Why a function the analysis made green cannot be written as a generator here (undefined: it can). */
  private refusal(node: FunctionLike): string | undefined {
    const what = describe(node);
    if (ts.isConstructorDeclaration(node) || ts.isAccessor(node)) {
      return `${what} cannot be green (it cannot suspend: a constructor or accessor runs plainly). Move the blocking work into a method or a static factory function.`;
    }
    if (node.body === undefined) return undefined;
    const mods = ts.getCombinedModifierFlags(node as ts.Declaration);
    if (mods & ts.ModifierFlags.Async) return `${what} is async; it cannot also block. Await a greenlet (greenlets are thenables) or make it an ordinary function.`;
    if ((node as ts.FunctionLikeDeclarationBase).asteriskToken) return `${what} is a generator; a user generator cannot block. Make it return an array, or a BlockingIterable.`;
    if (ts.isMethodDeclaration(node) && !ts.isPrivateIdentifier(node.name)) {
      if (memberKey(node.name) === undefined) {
        return `${what} [${(node.name as ts.ComputedPropertyName).expression.getText()}] may block, but its computed name cannot be evaluated a second time (greenlets reads it again to install the green method). Fix: compute the key into a const first (\`const key = ...;\` then \`[key]() {...}\`), or give the method a literal name.`;
      }
    }
    return undefined;
  }

  /** The generator's parameters and body, temporaries added. `lex`: inside a green arrow, the enclosing
   * function's `arguments` / `super` / `new.target` as the generator must read them (its own differ). */
  private generatorParts(
    node: ts.FunctionLikeDeclarationBase,
    lex?: Lexical,
  ): { params: ts.ParameterDeclaration[]; body: ts.Block; st: GenState; ownNewTarget: boolean } {
    const f = this.f;
    const st = new GenState(this.ctx.tempPrefix, node);
    const saved = this.st;
    const savedLex = this.lex;
    let params: ts.ParameterDeclaration[];
    let body: ts.Block;
    // A function declaration or expression reading its own `new.target` takes it from its wrapper (lexical.ts).
    const ownNewTarget = (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && lexicalUses(node.body!).newTarget;
    const newTarget = ownNewTarget ? st.temp() : undefined;
    this.lex = lex;
    // Defaults that block run at the start of the body (analysis/defaults.ts); the others stay where they are.
    const moved = this.blockingDefaults(node);
    try {
      // Parameters are visited as plain code: a default value cannot suspend (`yield` is not allowed there).
      params = node.parameters.map((p) =>
        moved?.includes(p)
          ? f.updateParameterDeclaration(p, p.modifiers, p.dotDotDotToken, this.plain(p.name, true), p.questionToken, p.type, undefined)
          : this.plain(p, true),
      );
      this.st = st;
      if (newTarget !== undefined) this.lex = { ...lex, newTarget: newTarget.text };
      const defaults = (moved ?? []).map((p) => {
        const name = f.createIdentifier((p.name as ts.Identifier).text);
        const value = this.visit(p.initializer!) as ts.Expression;
        return f.createIfStatement(
          f.createStrictEquality(name, f.createVoidZero()),
          f.createExpressionStatement(f.createAssignment(f.createIdentifier(name.text), value)),
        );
      });
      const b = node.body!;
      if (ts.isBlock(b)) body = this.visitScope(b) as ts.Block;
      else {
        const e = this.visit(b) as ts.Expression;
        body = ts.setTextRange(f.createBlock([ts.setTextRange(f.createReturnStatement(e), b)], false), b);
      }
      if (defaults.length > 0) body = f.updateBlock(body, [...defaults, ...body.statements]);
    } finally {
      this.st = saved;
      this.lex = savedLex;
    }
    if (newTarget !== undefined) {
      const take = f.createExpressionStatement(f.createAssignment(newTarget, f.createCallExpression(this.ctx.helper('takeNewTarget'), undefined, [])));
      body = f.updateBlock(body, [take, ...body.statements]);
    }
    if (st.temps.length > 0) {
      // Trailing parameters add no line; but a rest parameter must stay last, and in sloppy code a function
      // that reads `arguments` would see them aliased to its arguments: a `var` there.
      const hasRest = node.parameters.some((p) => p.dotDotDotToken !== undefined);
      if (hasRest || lexicalUses(node.body!).arguments) {
        const decl = f.createVariableStatement(
          undefined,
          f.createVariableDeclarationList(st.temps.map((t) => f.createVariableDeclaration(t)), ts.NodeFlags.None),
        );
        body = f.updateBlock(body, [decl, ...body.statements]);
      } else {
        for (const t of st.temps) params.push(f.createParameterDeclaration(undefined, undefined, t));
      }
    }
    return { params, body, st, ownNewTarget };
  }

  /** A green function's defaults to evaluate in its body: all of them when one of them has a call to rewrite. */
  private blockingDefaults(node: ts.FunctionLikeDeclarationBase): ts.ParameterDeclaration[] | undefined {
    const candidates = bodyDefaults(node as FunctionLike);
    if (candidates === undefined) return undefined;
    const a = this.ctx.analysis;
    const rewritten = (n: ts.Node): boolean => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
      if (ts.isCallExpression(n) || ts.isTaggedTemplateExpression(n)) {
        const site = a.calls.get(n);
        if (site !== undefined && site.kind !== 'plain') return true;
      }
      if (this.blocks(n)) return true;
      return ts.forEachChild(n, rewritten) === true;
    };
    return candidates.some((p) => rewritten(p.initializer!)) ? candidates : undefined;
  }

  private greenDeclaration(node: ts.FunctionDeclaration): ts.Node {
    const f = this.f;
    const ctx = this.ctx;
    const name = node.name?.text ?? ctx.names.unique('__default');
    const genName = ctx.genName(node);
    const { params, body, ownNewTarget } = this.generatorParts(node);
    const gen = f.createFunctionDeclaration(
      node.modifiers?.filter((m) => m.kind === ts.SyntaxKind.DeclareKeyword) as ts.Modifier[] | undefined,
      f.createToken(ts.SyntaxKind.AsteriskToken),
      genName,
      node.typeParameters,
      params,
      undefined,
      body,
    );
    ts.setTextRange(gen, node);
    ts.setOriginalNode(gen, node);
    // The plain wrapper keeps the name, the export and the hoisting; it goes to the end of the scope so the
    // generator keeps the original lines.
    const wrapperParams = wrapperParameters(f, node.parameters);
    const wrapper = f.createFunctionDeclaration(
      node.modifiers?.filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword),
      undefined,
      name,
      undefined,
      wrapperParams,
      undefined,
      f.createBlock(
        [
          ...(ownNewTarget
            ? [f.createExpressionStatement(f.createCallExpression(ctx.helper('setNewTarget'), undefined, [f.createMetaProperty(ts.SyntaxKind.NewKeyword, f.createIdentifier('target'))]))]
            : []),
          f.createReturnStatement(
            f.createCallExpression(ctx.helper('runPlain'), undefined, [
              f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(genName), 'apply'), undefined, [
                f.createThis(),
                f.createIdentifier('arguments'),
              ]),
              f.createStringLiteral(node.name?.text ?? 'default'),
            ]),
          ),
        ],
        false,
      ),
    );
    ts.setOriginalNode(wrapper, node);
    const frame = this.scopeOf(node);
    frame.installs.push(node.name === undefined ? [name, genName, 'default'] : [name, genName]);
    frame.wrappers.push(wrapper);
    return gen;
  }

  private greenExpression(node: ts.FunctionExpression | ts.ArrowFunction): ts.Expression {
    const f = this.f;
    const ctx = this.ctx;
    const isArrow = ts.isArrowFunction(node);
    // An arrow's `this`, `arguments`, `super` and `new.target` are the enclosing function's; its body becomes a
    // generator function, which has its own: `this` is bound, the others are captured where the arrow is made.
    const uses = isArrow ? lexicalUses(node) : undefined;
    const capture = uses !== undefined ? lexicalCapture(this, node as ts.ArrowFunction, uses, this.lex) : undefined;
    const { params, body, ownNewTarget } = this.generatorParts(node, capture?.lex);
    const name = node.name?.text ?? inferredName(node);
    // Name the generator (stack traces) unless the name would shadow something the body refers to.
    const selfRef = ts.isFunctionExpression(node) && node.name !== undefined && mentions(node.body, node.name.text);
    const genName = name !== '' && /^[A-Za-z_$][\w$]*$/.test(name) && !selfRef && !mentions(node, name) ? name : undefined;
    let gen: ts.Expression = f.createFunctionExpression(
      undefined,
      f.createToken(ts.SyntaxKind.AsteriskToken),
      genName,
      node.typeParameters,
      params,
      undefined,
      body,
    );
    ts.setTextRange(gen, node);
    ts.setOriginalNode(gen, node);
    if (uses?.this || uses?.super) {
      gen = f.createCallExpression(f.createPropertyAccessExpression(f.createParenthesizedExpression(gen), 'bind'), undefined, [f.createThis()]);
    }
    let result: ts.Expression = f.createCallExpression(ctx.helper(ownNewTarget ? 'fnNew' : 'fn'), undefined, [
      gen,
      f.createStringLiteral(name),
      f.createNumericLiteral(formalLength(node.parameters)),
    ]);
    if (selfRef) {
      // `function fact(n) { ... fact(n - 1) ... }`: the inner name must be the green function, not the generator.
      const self = f.createIdentifier(node.name!.text);
      result = f.createCallExpression(
        f.createParenthesizedExpression(
          f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, self)], undefined, undefined, f.createAssignment(self, result)),
        ),
        undefined,
        [],
      );
    }
    if (capture !== undefined && capture.params.length > 0) {
      result = f.createCallExpression(
        f.createParenthesizedExpression(
          f.createArrowFunction(
            undefined,
            undefined,
            capture.params.map((p) => f.createParameterDeclaration(undefined, undefined, p)),
            undefined,
            undefined,
            result,
          ),
        ),
        undefined,
        capture.args,
      );
    }
    return ts.setTextRange(f.createParenthesizedExpression(result), node);
  }

  private greenMethod(node: ts.MethodDeclaration): ts.Node {
    const f = this.f;
    const { params, body } = this.generatorParts(node);
    const frame = this.members.get(node.parent);
    const priv = ts.isPrivateIdentifier(node.name) ? node.name : undefined;
    if (priv !== undefined && frame !== undefined) {
      const owner = ts.isClassLike(node.parent) ? (node.parent.name?.text ?? '') : '';
      frame.privates.push(plainPrivateMethod(this.ctx, node, owner));
    }
    const gen = f.updateMethodDeclaration(
      node,
      node.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword),
      f.createToken(ts.SyntaxKind.AsteriskToken),
      priv !== undefined ? generatorName(f, priv) : (this.visit(node.name) as ts.PropertyName),
      node.questionToken,
      node.typeParameters,
      params,
      undefined,
      body,
    );
    if (priv !== undefined) return gen;
    const key = memberKey(node.name)!;
    if (frame !== undefined) {
      const isStatic = ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static;
      (isStatic ? frame.statics : frame.instance).push(key, f.createNumericLiteral(formalLength(node.parameters)));
    }
    return gen;
  }

  // ---- containers ------------------------------------------------------------------------------------

  private scopeOf(node: ts.Node): ScopeFrame {
    // A declaration in a case clause belongs to the whole switch block (visitCaseBlock).
    const p = ts.isCaseClause(node.parent) || ts.isDefaultClause(node.parent) ? node.parent.parent : node.parent;
    let frame = this.scopes.get(p);
    if (frame === undefined) {
      frame = { installs: [], wrappers: [] };
      this.scopes.set(p, frame);
    }
    return frame;
  }

  /** `__gl.install(f, f$green, g, g$green)`: the declarations' [GREEN] (and the generators' names, for stack
   * traces), before anything in the scope can use them. */
  private installStatement(frame: ScopeFrame): ts.Statement {
    const f = this.f;
    const args = frame.installs.flatMap(([w, g, own]) => [
      f.createIdentifier(w),
      f.createIdentifier(g),
      ...(own !== undefined ? [f.createStringLiteral(own)] : []),
    ]);
    return f.createExpressionStatement(f.createCallExpression(this.ctx.helper('install'), undefined, args));
  }

  /** A list of statements: green declarations' installs go first (after directives), wrappers last. */
  visitScope(node: ts.Block | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause | ts.SourceFile): ts.Node {
    // A case test is evaluated in the switch's function (and may block there).
    const expression = ts.isCaseClause(node) ? (this.visit(node.expression) as ts.Expression) : undefined;
    const statements = ts.visitNodes(node.statements, this.visit, ts.isStatement);
    const frame = this.scopes.get(node);
    if (frame === undefined) {
      const same = statements === node.statements && (expression === undefined || expression === (node as ts.CaseClause).expression);
      return same ? node : updateStatements(this.f, node, statements, expression);
    }
    this.scopes.delete(node);
    const list = [...statements];
    let at = 0;
    while (at < list.length && ts.isExpressionStatement(list[at]) && ts.isStringLiteral((list[at] as ts.ExpressionStatement).expression)) at++;
    list.splice(at, 0, this.installStatement(frame));
    list.push(...frame.wrappers);
    return updateStatements(this.f, node, list, expression);
  }

  /**
   * A switch body. Green declarations in its clauses are scoped to the whole switch and hoisted there, and
   * execution may enter at any clause: their installs go first in every clause that has statements (every path
   * into the body runs one), their wrappers at the end of the last clause.
   */
  private visitCaseBlock(node: ts.CaseBlock): ts.Node {
    const clauses = ts.visitNodes(node.clauses, this.visit, ts.isCaseOrDefaultClause);
    const frame = this.scopes.get(node);
    if (frame === undefined) return clauses === node.clauses ? node : this.f.updateCaseBlock(node, clauses);
    this.scopes.delete(node);
    const f = this.f;
    const list = clauses.map((c, i) => {
      let statements = c.statements.length > 0 ? [this.installStatement(frame), ...c.statements] : [...c.statements];
      if (i === clauses.length - 1) statements = [...statements, ...frame.wrappers];
      return ts.isCaseClause(c) ? f.updateCaseClause(c, c.expression, statements) : f.updateDefaultClause(c, statements);
    });
    return f.updateCaseBlock(node, list);
  }

  /** Add the installs and wrappers of green declarations found directly in `container` to its statements. */
  withScope(container: ts.Node, statements: ts.Statement[]): ts.Statement[] {
    const frame = this.scopes.get(container);
    if (frame === undefined) return statements;
    this.scopes.delete(container);
    const list = [...statements];
    let at = 0;
    while (at < list.length && ts.isExpressionStatement(list[at]) && ts.isStringLiteral((list[at] as ts.ExpressionStatement).expression)) at++;
    list.splice(at, 0, this.installStatement(frame));
    list.push(...frame.wrappers);
    return list;
  }

  private visitClass(node: ts.ClassLikeDeclaration): ts.Node {
    const frame: MemberFrame = { instance: [], statics: [], privates: [] };
    this.members.set(node, frame);
    // Computed names, heritage clauses and decorators are evaluated where the class is: keep the context.
    const visited = ts.visitEachChild(node, this.visit, this.tctx);
    this.members.delete(node);
    if (frame.instance.length === 0 && frame.statics.length === 0 && frame.privates.length === 0) return visited;
    const f = this.f;
    if (frame.instance.length === 0 && frame.statics.length === 0) return withMembers(f, visited, [...visited.members, ...frame.privates]);
    const ctx = this.ctx;
    const owner = f.createStringLiteral(node.name?.text ?? '');
    const calls: ts.Statement[] = [];
    if (frame.instance.length > 0) {
      calls.push(
        f.createExpressionStatement(
          f.createCallExpression(ctx.helper('methods'), undefined, [
            f.createPropertyAccessExpression(f.createThis(), 'prototype'),
            f.createArrayLiteralExpression(frame.instance),
            owner,
          ]),
        ),
      );
    }
    if (frame.statics.length > 0) {
      calls.push(
        f.createExpressionStatement(
          f.createCallExpression(ctx.helper('methods'), undefined, [f.createThis(), f.createArrayLiteralExpression(frame.statics), owner]),
        ),
      );
    }
    const block = f.createClassStaticBlockDeclaration(f.createBlock(calls, false));
    // First if other static code could call the methods before the block runs; else last (no line moves).
    const staticCodeFirst = node.members.some(
      (m) => ts.isClassStaticBlockDeclaration(m) || (ts.isPropertyDeclaration(m) && ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static),
    );
    const members = staticCodeFirst ? [block, ...visited.members, ...frame.privates] : [...visited.members, ...frame.privates, block];
    return withMembers(f, visited, members);
  }

  private visitObject(node: ts.ObjectLiteralExpression): ts.Node {
    const frame: MemberFrame = { instance: [], statics: [], privates: [] };
    this.members.set(node, frame);
    const visited = ts.visitEachChild(node, this.visit, this.tctx);
    this.members.delete(node);
    if (frame.instance.length === 0) return visited;
    const f = this.f;
    const green = ts.setTextRange(
      f.createCallExpression(this.ctx.helper('methods'), undefined, [visited, f.createArrayLiteralExpression(frame.instance)]),
      node,
    );
    // Green methods of a literal given to untransformed code that ignores their results: spawn per call.
    const adapted = node.properties.filter((p) => ts.isMethodDeclaration(p) && this.ctx.analysis.spawnAdapted.has(p.name as ts.Expression));
    if (adapted.length === 0) return green;
    const keys = adapted.map((p) => f.createStringLiteral((p.name as ts.Identifier | ts.StringLiteral).text));
    return ts.setTextRange(f.createCallExpression(this.ctx.helper('adaptMethods'), undefined, [green, f.createArrayLiteralExpression(keys)]), node);
  }
}

function withMembers(f: ts.NodeFactory, visited: ts.ClassLikeDeclaration, members: readonly ts.ClassElement[]): ts.ClassLikeDeclaration {
  if (ts.isClassDeclaration(visited)) {
    return f.updateClassDeclaration(visited, visited.modifiers, visited.name, visited.typeParameters, visited.heritageClauses, members);
  }
  const ce = visited as ts.ClassExpression;
  return f.updateClassExpression(ce, ce.modifiers, ce.name, ce.typeParameters, ce.heritageClauses, members);
}

function isMethodName(node: ts.Node): boolean {
  const p = node.parent as ts.Node | undefined;
  return p !== undefined && ts.isMethodDeclaration(p) && p.name === node;
}

function updateStatements(
  f: ts.NodeFactory,
  node: ts.Block | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause | ts.SourceFile,
  statements: readonly ts.Statement[] | ts.NodeArray<ts.Statement>,
  expression?: ts.Expression,
): ts.Node {
  if (ts.isBlock(node)) return f.updateBlock(node, statements);
  if (ts.isModuleBlock(node)) return f.updateModuleBlock(node, statements);
  if (ts.isCaseClause(node)) return f.updateCaseClause(node, expression ?? node.expression, statements);
  if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, statements);
  return f.updateSourceFile(node, statements);
}

/** `for (const [a, b] of xs)`: the array pattern bound to each element. */
function elementPattern(node: ts.ForOfStatement): ts.ArrayBindingPattern | undefined {
  const init = node.initializer;
  if (!ts.isVariableDeclarationList(init)) return undefined;
  const name = init.declarations[0]?.name;
  return name !== undefined && ts.isArrayBindingPattern(name) ? name : undefined;
}

/** The outermost node of an optional chain (its parent does not continue the chain). */
function isChainOuter(node: ts.OptionalChain): boolean {
  const p = node.parent;
  return !(ts.isOptionalChain(p) && p.expression === node);
}

/** A method's key as an expression that can be evaluated again: a literal, or `Symbol.x`. */
function memberKey(name: ts.PropertyName): ts.Expression | undefined {
  const f = ts.factory;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return f.createStringLiteral(name.text);
  if (ts.isNumericLiteral(name)) return f.createStringLiteral(String(Number(name.text)));
  if (ts.isComputedPropertyName(name)) {
    const e = skipParens(name.expression);
    if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return f.createStringLiteral(e.text);
    // A name or a dotted name (`key`, `Symbol.iterator`, `keys.run`): reading it again gives the same key,
    // since nothing runs between the class's computed keys and its first static block but other keys.
    if (isDottedName(e)) return reprint(e);
  }
  return undefined;
}

function isDottedName(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return true;
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name) && isDottedName(e.expression);
}

function reprint(e: ts.Expression): ts.Expression {
  const f = ts.factory;
  if (ts.isIdentifier(e)) return f.createIdentifier(e.text);
  const p = e as ts.PropertyAccessExpression;
  return f.createPropertyAccessExpression(reprint(p.expression), (p.name as ts.Identifier).text);
}

function mentions(node: ts.Node, name: string): boolean {
  return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(node.getText());
}

function describe(node: ts.Node): string {
  const name = (node as { name?: ts.Node }).name;
  const kind = ts.isConstructorDeclaration(node)
    ? 'The constructor'
    : ts.isGetAccessor(node)
      ? 'The getter'
      : ts.isSetAccessor(node)
        ? 'The setter'
        : ts.isMethodDeclaration(node)
          ? 'The method'
          : ts.isArrowFunction(node)
            ? 'The arrow function'
            : 'The function';
  return name !== undefined && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) ? `${kind} ${name.text}` : kind;
}

export { yieldStar };
