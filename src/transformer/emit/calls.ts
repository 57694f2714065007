/**
 * Calls in green code, by the analysis's CallSite kind (docs/architecture.md, "The green calling convention"):
 *   green    `f(a)`     → `(yield* (0, f[GREEN])(a))` (no receiver: a plain call of the generator)
 *            `o.m(a)`   → `(yield* o.m[GREEN].call(o, a))`, the receiver evaluated once (a temporary if needed)
 *   direct   `f(a)`     → `(yield* f$green(a))`
 *   dynamic  `f(a)`     → `((t = f)[GREEN] !== undefined ? yield* (0, t[GREEN])(a) : t(a))`, or
 *                         `(yield* __gl.callDynamic(f, thisArg, [a]))` when the arguments are not cheap to print twice
 *   builtin  `xs.map(cb)` → `(yield* __gl.builtins["Array.prototype.map"].call(xs, cb))`
 * Optional chains are lowered to conditionals (`(t = a) == null ? void 0 : ...`) so a short-circuit skips the
 * call and everything after it, as the language does. Tagged templates pass `` __gl.tpl`...` ``, the template
 * object of a site of their own (one per original site, so its identity per site is kept).
 * Evaluation order is JavaScript's: callee (receiver, then property), then arguments left to right; every
 * temporary is read before the arguments are evaluated, so nested calls may reuse them.
 */
import ts from 'typescript';
import type { CallSite } from '../analysis/types.js';
import { appliedBuiltins, builtins } from '../../runtime/builtins.js';
import { type EmitContext, type GenState, skipOuter, yieldStar } from './context.js';
import type { Lexical } from './lexical.js';
import { generatorName, privateCallee } from './private-methods.js';

type Visit = (n: ts.Node) => ts.Node;

/** One step of a flattened chain of member accesses and calls. */
type Op =
  | { kind: 'prop'; node: ts.PropertyAccessExpression; optional: boolean }
  | { kind: 'elem'; node: ts.ElementAccessExpression; optional: boolean }
  | { kind: 'call'; node: ts.CallExpression | ts.TaggedTemplateExpression; optional: boolean }
  | { kind: 'nonnull'; optional: false };

/** The value built so far: `value`, and when the next call must receive a `this`, the reusable receiver. */
interface Ref {
  value: ts.Expression;
  /** `value` is `recv.name` / `recv[key]` printed as a member expression (so a plain call keeps `this`). */
  memberOf: ts.Expression | undefined;
  /** `this` for a following call when `value` is not a member expression (after hoisting into a temp). */
  thisArg: ts.Expression | undefined;
}

export class CallRewriter {
  constructor(
    private readonly ctx: EmitContext,
    private readonly st: GenState,
    private readonly visit: Visit,
    /** Inside a green arrow: how `super` of the enclosing method is reached (lexical.ts). */
    private readonly lex?: Lexical,
  ) {}

  /** A call or tagged template that is not part of an optional chain. */
  rewriteCall(node: ts.CallExpression | ts.TaggedTemplateExpression): ts.Expression {
    const callee = ts.isCallExpression(node) ? node.expression : node.tag;
    const ops: Op[] = [];
    let base: ts.Expression;
    const c = skipOuter(callee);
    if (ts.isPropertyAccessExpression(c)) {
      base = c.expression;
      ops.push({ kind: 'prop', node: c, optional: false });
    } else if (ts.isElementAccessExpression(c)) {
      base = c.expression;
      ops.push({ kind: 'elem', node: c, optional: false });
    } else {
      base = callee;
    }
    ops.push({ kind: 'call', node, optional: false });
    return this.build(base, ops);
  }

  /** The outermost node of an optional chain containing a call to rewrite: the whole chain is lowered. */
  rewriteChain(outer: ts.Expression): ts.Expression {
    const ops: Op[] = [];
    let n: ts.Expression = outer;
    // Every node of the chain carries the OptionalChain flag, the one with the first `?.` included.
    while (ts.isOptionalChain(n)) {
      const optional = (n as { questionDotToken?: ts.Node }).questionDotToken !== undefined;
      if (ts.isPropertyAccessExpression(n)) ops.unshift({ kind: 'prop', node: n, optional });
      else if (ts.isElementAccessExpression(n)) ops.unshift({ kind: 'elem', node: n, optional });
      else if (ts.isCallExpression(n)) ops.unshift({ kind: 'call', node: n, optional });
      else ops.unshift({ kind: 'nonnull', optional: false });
      n = n.expression;
    }
    // `a.b?.()`: the call's `this` is `a`, so split the member access below the chain too.
    const inner = skipOuter(n);
    if (ops[0]?.kind === 'call') {
      if (ts.isPropertyAccessExpression(inner)) {
        ops.unshift({ kind: 'prop', node: inner, optional: false });
        n = inner.expression;
      } else if (ts.isElementAccessExpression(inner)) {
        ops.unshift({ kind: 'elem', node: inner, optional: false });
        n = inner.expression;
      }
    }
    return this.build(n, ops);
  }

  private build(base: ts.Expression, ops: Op[]): ts.Expression {
    const f = this.ctx.factory;
    const baseV = this.visit(base) as ts.Expression;
    const expr = this.step({ value: baseV, memberOf: undefined, thisArg: undefined }, ops, 0);
    return ts.isParenthesizedExpression(expr) ? expr : f.createParenthesizedExpression(expr);
  }

  private step(ref: Ref, ops: Op[], i: number): ts.Expression {
    const f = this.ctx.factory;
    if (i === ops.length) return ref.value;
    const op = ops[i];
    if (op.optional) {
      // `(t = value) == null ? void 0 : rest`: the rest of the chain, the call included, only if not nullish.
      const t = this.st.temp();
      const thisArg = ref.memberOf ?? ref.thisArg;
      const test = f.createBinaryExpression(
        f.createParenthesizedExpression(f.createAssignment(t, ref.value)),
        ts.SyntaxKind.EqualsEqualsToken,
        f.createNull(),
      );
      const rest = this.step({ value: t, memberOf: undefined, thisArg }, ops.map((o, j) => (j === i ? { ...o, optional: false } : o)) as Op[], i);
      return f.createConditionalExpression(test, undefined, f.createVoidZero(), undefined, rest);
    }
    const nextIsCall = ops[i + 1]?.kind === 'call';
    switch (op.kind) {
      case 'nonnull':
        return this.step(ref, ops, i + 1);
      case 'prop':
      case 'elem': {
        let obj = ref.value;
        let recv: ts.Expression | undefined;
        if (obj.kind === ts.SyntaxKind.SuperKeyword && this.lex?.superGet !== undefined) {
          // `super.m(...)` inside a green arrow: `__superGet("m")`, called with the arrow's (bound) `this`.
          const key =
            op.kind === 'prop' ? f.createStringLiteral(op.node.name.text) : (this.visit(op.node.argumentExpression) as ts.Expression);
          const value = f.createCallExpression(f.createIdentifier(this.lex.superGet), undefined, [key]);
          return this.step({ value, memberOf: undefined, thisArg: nextIsCall ? f.createThis() : undefined }, ops, i + 1);
        }
        if (nextIsCall) {
          if (obj.kind === ts.SyntaxKind.SuperKeyword) recv = f.createThis();
          else if (isReusable(obj)) recv = obj;
          else {
            const t = this.st.temp();
            obj = f.createParenthesizedExpression(f.createAssignment(t, obj));
            recv = t;
          }
        }
        const value =
          op.kind === 'prop'
            ? f.createPropertyAccessExpression(obj, op.node.name)
            : f.createElementAccessExpression(obj, this.visit(op.node.argumentExpression) as ts.Expression);
        return this.step({ value, memberOf: recv, thisArg: undefined }, ops, i + 1);
      }
      case 'call': {
        const value = this.call(op.node, ref);
        return this.step({ value, memberOf: undefined, thisArg: undefined }, ops, i + 1);
      }
    }
  }

  /** Emit one call given its callee reference. */
  private call(node: ts.CallExpression | ts.TaggedTemplateExpression, ref: Ref): ts.Expression {
    const f = this.ctx.factory;
    const ctx = this.ctx;
    let site: CallSite | undefined = ctx.analysis.calls.get(node);
    if (ctx.options.forceGreen && site?.kind === 'dynamic' && site.builtin === undefined) site = forcedBuiltin(node, site);
    const args = this.args(node);
    const at = calleeName(node);
    // `.call` is where V8 places the frame of a call (and of a suspended `yield*` through it): map it to the
    // original callee's name, so stack traces show the columns the original code would.
    const call = () => mappedName('call', at);
    const thisArg = ref.memberOf ?? ref.thisArg ?? f.createVoidZero();
    if (site === undefined || site.kind === 'plain') {
      // An ordinary call: keep `this` as the original expression would.
      if (ts.isTaggedTemplateExpression(node) && ref.memberOf === undefined && ref.thisArg === undefined) {
        return f.createTaggedTemplateExpression(ref.value, undefined, this.visit(node.template) as ts.TemplateLiteral);
      }
      if (ref.memberOf !== undefined || ref.thisArg === undefined) {
        if (ts.isTaggedTemplateExpression(node)) {
          return f.createTaggedTemplateExpression(ref.value, undefined, this.visit(node.template) as ts.TemplateLiteral);
        }
        return f.createCallExpression(ref.value, undefined, args);
      }
      return f.createCallExpression(f.createPropertyAccessExpression(ref.value, call()), undefined, [thisArg, ...args]);
    }
    if (site.builtin === 'Function.prototype.bind' && ref.memberOf !== undefined && ts.isCallExpression(node)) {
      // Not a suspension: the bound function keeps the green form (`__gl.bind(f, thisArg, ...args)`).
      const recv = (ref.value as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
      return f.createCallExpression(ctx.helper('bind'), undefined, [recv, ...args]);
    }
    if (site.builtin !== undefined && site.applied !== undefined && appliedBuiltins[site.builtin] !== undefined) {
      // `Array.prototype.map.call(recv, cb)` → `yield* __gl.appliedBuiltins["Array.prototype.map"].call(recv, cb)`:
      // the same arguments, the built-in's green form in place of the built-in.
      const fn = f.createElementAccessExpression(ctx.helper('appliedBuiltins'), f.createStringLiteral(site.builtin));
      const how = site.applied === 'call' ? call() : f.createIdentifier('apply');
      return yieldStar(f.createCallExpression(f.createPropertyAccessExpression(fn, how), undefined, args));
    }
    if (site.builtin !== undefined) {
      const staticOwner = site.builtin.includes('.prototype.') || site.builtin.startsWith('TypedArray.') ? undefined : site.builtin.split('.')[0]!;
      if (builtins[site.builtin] !== undefined && ref.memberOf === undefined && staticOwner !== undefined) {
        // `const from = Array.from; from(xs)`: a static built-in needs no receiver but its constructor.
        const fn = f.createElementAccessExpression(ctx.helper('builtins'), f.createStringLiteral(site.builtin));
        return yieldStar(f.createCallExpression(f.createPropertyAccessExpression(fn, call()), undefined, [f.createIdentifier(staticOwner), ...args]));
      }
      if (builtins[site.builtin] !== undefined && ref.memberOf !== undefined) {
        const recv = (ref.value as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
        const fn = f.createElementAccessExpression(ctx.helper('builtins'), f.createStringLiteral(site.builtin));
        return yieldStar(f.createCallExpression(f.createPropertyAccessExpression(fn, call()), undefined, [recv, ...args]));
      }
      const callee = ts.isCallExpression(node) ? node.expression.getText() : node.tag.getText();
      ctx.report(
        node,
        'GL2010',
        'warning',
        `${callee}(...) is ${site.builtin} called without its receiver, which the green ${site.builtin} needs; it is called plainly here, so a green callback or a blocking iterable throws BlockingSwitchOutError. Fix: ${
          site.builtin.includes('.prototype.')
            ? `call it as a method of the object (\`xs.${site.builtin.split('.').pop()}(...)\`)`
            : `call it as \`${site.builtin.replace('TypedArray', 'Uint8Array')}(...)\``
        }.`,
      );
      return this.dynamic(node, ref, thisArg, args, at);
    }
    const priv = privateCallee(ctx, node);
    if (priv !== undefined && ref.memberOf !== undefined && ts.isPropertyAccessExpression(ref.value)) {
      // `x.#m(a)` → `yield* x.#m$green(a)`: a private name is resolved lexically, so the target is known.
      const gen = f.createPropertyAccessExpression(ref.value.expression, generatorName(f, priv.name as ts.PrivateIdentifier));
      return yieldStar(f.createCallExpression(gen, undefined, args));
    }
    // Without a receiver the generator is called as a plain function (`this` undefined, as `.call(void 0)`
    // gives): V8 does not turn `gen.call(void 0, ...)` into a direct call here, and it costs ~20 ns per call.
    const noThis = ref.memberOf === undefined && ref.thisArg === undefined;
    if (site.direct !== undefined && ctx.isGreen(site.direct) && site.direct.getSourceFile() === ctx.analysis.sourceFile) {
      const name = ctx.genName(site.direct);
      if (noThis) return yieldStar(f.createCallExpression(mappedName(name, at), undefined, args));
      return yieldStar(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(name), call()), undefined, [thisArg, ...args]));
    }
    if (site.kind === 'green') {
      if (noThis) return yieldStar(f.createCallExpression(unbound(f, ctx.greenOf(ref.value), at), undefined, args));
      return yieldStar(
        f.createCallExpression(f.createPropertyAccessExpression(ctx.greenOf(ref.value), call()), undefined, [thisArg, ...args]),
      );
    }
    return this.dynamic(node, ref, thisArg, args, at);
  }

  private dynamic(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    ref: Ref,
    thisArg: ts.Expression,
    args: ts.Expression[],
    at: ts.Node,
  ): ts.Expression {
    const f = this.ctx.factory;
    const ctx = this.ctx;
    const original = ts.isCallExpression(node)
      ? node.arguments
      : ts.isTemplateExpression(node.template)
        ? node.template.templateSpans.map((s) => s.expression)
        : [];
    if (original.every((a) => isCheap(a, { n: 0 }))) {
      const t = this.st.temp();
      const test = f.createBinaryExpression(
        ctx.greenOf(f.createParenthesizedExpression(f.createAssignment(t, ref.value))),
        ts.SyntaxKind.ExclamationEqualsEqualsToken,
        f.createVoidZero(),
      );
      const hasThis = ref.memberOf !== undefined || ref.thisArg !== undefined;
      const green = yieldStar(
        hasThis
          ? f.createCallExpression(f.createPropertyAccessExpression(ctx.greenOf(t), mappedName('call', at)), undefined, [thisArg, ...args])
          : f.createCallExpression(unbound(f, ctx.greenOf(t), at), undefined, args),
      );
      const plain = hasThis
        ? f.createCallExpression(f.createPropertyAccessExpression(t, mappedName('call', at)), undefined, [thisArg, ...args])
        : f.createCallExpression(mappedName(t.text, at), undefined, args);
      return f.createConditionalExpression(test, undefined, green, undefined, plain);
    }
    ctx.usedRuntime = true;
    return yieldStar(
      f.createCallExpression(
        f.createPropertyAccessExpression(f.createIdentifier(ctx.rt), mappedName('callDynamic', at)),
        undefined,
        [ref.value, thisArg, f.createArrayLiteralExpression(args)],
      ),
    );
  }

  private args(node: ts.CallExpression | ts.TaggedTemplateExpression): ts.Expression[] {
    if (ts.isCallExpression(node)) return node.arguments.map((a) => this.visit(a) as ts.Expression);
    return templateArguments(this.ctx, node, this.visit);
  }
}

/** The arguments a tag receives: the template object of a site of its own (`` __gl.tpl`a${0}b` ``, one object
 * per original site, as the language gives), then the substitutions. */
export function templateArguments(ctx: EmitContext, node: ts.TaggedTemplateExpression, visit: Visit): ts.Expression[] {
  const f = ctx.factory;
  const t = node.template;
  if (ts.isNoSubstitutionTemplateLiteral(t)) {
    return [f.createTaggedTemplateExpression(ctx.helper('tpl'), undefined, t)];
  }
  const strings = f.createTemplateExpression(
    t.head,
    t.templateSpans.map((s) => f.createTemplateSpan(f.createNumericLiteral(0), s.literal)),
  );
  return [f.createTaggedTemplateExpression(ctx.helper('tpl'), undefined, strings), ...t.templateSpans.map((s) => visit(s.expression) as ts.Expression)];
}

const FORCED_ARRAY_METHODS = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap',
]);

/**
 * forceGreen has no checker, so it names no built-ins: every method call with a known built-in's name goes
 * through the green equivalent, which calls the receiver's own method when it is not the built-in — so the
 * differential tests run green callbacks greenly, as the real analysis makes them.
 */
function forcedBuiltin(node: ts.CallExpression | ts.TaggedTemplateExpression, site: CallSite): CallSite {
  if (!ts.isCallExpression(node)) return site;
  const callee = skipOuter(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return site;
  const name = callee.name.text;
  if (name === 'call' || name === 'apply' || name === 'bind') return { ...site, builtin: `Function.prototype.${name}` };
  if (FORCED_ARRAY_METHODS.has(name)) return { ...site, builtin: `Array.prototype.${name}` };
  if (name === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array') return { ...site, builtin: 'Array.from' };
  return site;
}

/** The node V8 would place a call's frame at: the property of a member call, else the callee. */
function calleeName(node: ts.CallExpression | ts.TaggedTemplateExpression): ts.Node {
  const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
  if (ts.isPropertyAccessExpression(callee)) return callee.name;
  if (ts.isElementAccessExpression(callee)) return callee.argumentExpression;
  return callee;
}

/** `(0, x[GREEN])`: the generator called without a receiver (a member call would pass the wrapper as `this`).
 * V8 places the frame of a call whose callee is not a name at the `(` of its arguments, so the end of the
 * parenthesised callee (which the printer maps right before that `(`) is mapped to the original callee's start. */
function unbound(f: ts.NodeFactory, fn: ts.Expression, at: ts.Node): ts.Expression {
  const callee = f.createParenthesizedExpression(f.createCommaListExpression([f.createNumericLiteral(0), fn]));
  if (at.pos >= 0) ts.setSourceMapRange(callee, { pos: at.getStart(), end: at.getStart() });
  return callee;
}

/** A fresh identifier whose source position is `at`'s. */
function mappedName(text: string, at: ts.Node): ts.Identifier {
  const id = ts.factory.createIdentifier(text);
  if (at.pos >= 0) ts.setSourceMapRange(id, { pos: at.getStart(), end: at.end });
  return id;
}

/** Safe to evaluate again in place of a temporary: reading it has no effect and gives the same value. */
function isReusable(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword;
}

/** Arguments small and free of calls and functions: printing them in both branches of the GREEN test costs
 * little (only one branch runs, so they are still evaluated once). */
function isCheap(n: ts.Node, budget: { n: number }): boolean {
  if (++budget.n > 12) return false;
  if (
    ts.isIdentifier(n) ||
    ts.isLiteralExpression(n) ||
    n.kind === ts.SyntaxKind.ThisKeyword ||
    n.kind === ts.SyntaxKind.TrueKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    n.kind === ts.SyntaxKind.NullKeyword
  ) {
    return true;
  }
  if (
    ts.isPropertyAccessExpression(n) ||
    ts.isElementAccessExpression(n) ||
    ts.isBinaryExpression(n) ||
    ts.isPrefixUnaryExpression(n) ||
    ts.isPostfixUnaryExpression(n) ||
    ts.isParenthesizedExpression(n) ||
    ts.isSpreadElement(n) ||
    ts.isAsExpression(n) ||
    ts.isNonNullExpression(n)
  ) {
    if (ts.isPropertyAccessExpression(n) && n.questionDotToken !== undefined) return false;
    let ok = true;
    ts.forEachChild(n, (c) => {
      if (ok && !ts.isToken(c) && !isTypeNode(c) && !ts.isPrivateIdentifier(c)) ok = isCheap(c, budget);
    });
    return ok;
  }
  return false;
}

function isTypeNode(n: ts.Node): boolean {
  return n.kind >= ts.SyntaxKind.FirstTypeNode && n.kind <= ts.SyntaxKind.LastTypeNode;
}
