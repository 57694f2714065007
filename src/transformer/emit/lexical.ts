/**
 * `arguments`, `super` and `new.target` inside a green arrow (design.md §3). An arrow has none of its own: they
 * are the enclosing function's. Its green form is a generator *function*, which has its own, so the rewrite
 * captures the enclosing function's where the arrow is created and renames the uses inside:
 *
 *   (x) => { sleep(0); return super.m(x) + arguments.length }
 *   →  ((__superGet, __arguments) => __gl.fn(function* (x) { ...; return __superGet("m").call(this, x) + __arguments.length }.bind(this), "", 1))
 *        ((k) => super[k], arguments)
 *
 * The capturing arrow is created where the original arrow was, so `super` in `(k) => super[k]` is the
 * enclosing method's home object and `new.target` the enclosing constructor's. Nested arrows (plain or green)
 * inside the green arrow are renamed the same way; functions and class members nested inside have their own.
 * A green function *declaration* or *expression* that reads `new.target` gets it from its plain wrapper (a
 * construct call runs the wrapper; a green call is never a construct call, so `new.target` is undefined there).
 */
import ts from 'typescript';
import type { Rewriter } from './rewriter.js';
import { isReference } from './scan.js';
import { skipOuter } from './context.js';
import { templateArguments } from './calls.js';

export interface Lexical {
  arguments?: string;
  superGet?: string;
  superSet?: string;
  newTarget?: string;
}

export interface Capture {
  lex: Lexical;
  /** Parameters of the capturing arrow and the values it is called with. */
  params: string[];
  args: ts.Expression[];
}

/** What a green arrow must capture, given what it uses and what the enclosing (green) arrow already renamed. */
export function lexicalCapture(
  rw: Rewriter,
  arrow: ts.ArrowFunction,
  uses: { arguments: boolean; super: boolean; newTarget: boolean },
  outer: Lexical | undefined,
): Capture {
  const f = rw.f;
  const names = rw.ctx.names;
  const lex: Lexical = {};
  const params: string[] = [];
  const args: ts.Expression[] = [];
  const k = () => f.createParameterDeclaration(undefined, undefined, 'k');
  const superOf = (key: ts.Expression) => f.createElementAccessExpression(f.createSuper(), key);
  if (uses.arguments) {
    lex.arguments = names.unique('__arguments');
    params.push(lex.arguments);
    args.push(f.createIdentifier(outer?.arguments ?? 'arguments'));
  }
  if (uses.super) {
    lex.superGet = names.unique('__superGet');
    params.push(lex.superGet);
    args.push(
      outer?.superGet !== undefined
        ? f.createIdentifier(outer.superGet)
        : f.createArrowFunction(undefined, undefined, [k()], undefined, undefined, superOf(f.createIdentifier('k'))),
    );
    if (writesSuper(arrow)) {
      lex.superSet = names.unique('__superSet');
      params.push(lex.superSet);
      args.push(
        outer?.superSet !== undefined
          ? f.createIdentifier(outer.superSet)
          : f.createArrowFunction(
              undefined,
              undefined,
              [k(), f.createParameterDeclaration(undefined, undefined, 'v')],
              undefined,
              undefined,
              f.createParenthesizedExpression(f.createAssignment(superOf(f.createIdentifier('k')), f.createIdentifier('v'))),
            ),
      );
    }
  }
  if (uses.newTarget) {
    lex.newTarget = names.unique('__newTarget');
    params.push(lex.newTarget);
    args.push(outer?.newTarget !== undefined ? f.createIdentifier(outer.newTarget) : f.createMetaProperty(ts.SyntaxKind.NewKeyword, f.createIdentifier('target')));
  }
  return { lex, params, args };
}

function isSuperMember(e: ts.Node): e is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && e.expression.kind === ts.SyntaxKind.SuperKeyword;
}

/** Does the arrow (or an arrow in it) assign to a property of `super`? */
function writesSuper(node: ts.Node): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) return;
    if (ts.isClassLike(n)) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && isSuperMember(skipOuter(n.left))) found = true;
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && isSuperMember(skipOuter(n.operand))) found = true;
    ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** The key of `super.x` / `super[k]` as an expression (visited). */
export function superKey(rw: Rewriter, e: ts.PropertyAccessExpression | ts.ElementAccessExpression): ts.Expression {
  if (ts.isPropertyAccessExpression(e)) return rw.f.createStringLiteral(e.name.text);
  return rw.visit(e.argumentExpression) as ts.Expression;
}

/** `__superGet(key)` */
export function superGet(rw: Rewriter, lex: Lexical, e: ts.PropertyAccessExpression | ts.ElementAccessExpression): ts.Expression {
  return rw.f.createCallExpression(rw.f.createIdentifier(lex.superGet!), undefined, [superKey(rw, e)]);
}

/**
 * Rename a use of the enclosing function's `arguments` / `super` / `new.target` inside a green arrow, or
 * return undefined to visit the node as usual. Calls of `super.m(...)` that the analysis made green are left to
 * the call rewriter (which asks `superGet` for the callee).
 */
export function visitLexical(rw: Rewriter, node: ts.Node, lex: Lexical): ts.Node | undefined {
  const f = rw.f;
  if (ts.isIdentifier(node)) {
    if (lex.arguments !== undefined && node.text === 'arguments' && isReference(node)) {
      return ts.setTextRange(f.createIdentifier(lex.arguments), node);
    }
    return undefined;
  }
  if (ts.isMetaProperty(node)) {
    if (lex.newTarget !== undefined && node.keywordToken === ts.SyntaxKind.NewKeyword) return ts.setTextRange(f.createIdentifier(lex.newTarget), node);
    return undefined;
  }
  if (lex.superGet === undefined) return undefined;
  if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
    const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
    if (!isSuperMember(callee)) return undefined;
    const site = rw.ctx.analysis.calls.get(node);
    if (rw.st !== undefined && site !== undefined && site.kind !== 'plain') return undefined;
    const args = ts.isCallExpression(node)
      ? node.arguments.map((a) => rw.visit(a) as ts.Expression)
      : templateArguments(rw.ctx, node, rw.visit);
    const fn = f.createPropertyAccessExpression(superGet(rw, lex, callee), 'call');
    return ts.setTextRange(f.createCallExpression(fn, undefined, [f.createThis(), ...args]), node);
  }
  if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
    const target = skipOuter(node.left);
    if (!isSuperMember(target)) return undefined;
    const op = node.operatorToken.kind;
    let value = rw.visit(node.right) as ts.Expression;
    if (op !== ts.SyntaxKind.EqualsToken) {
      if (ts.isElementAccessExpression(target) && !isStableKey(target.argumentExpression)) {
        rw.ctx.report(node, 'GL2002', 'error', `A compound assignment to super[${target.argumentExpression.getText()}] inside an arrow function that may block is not supported: compute the key into a const first.`);
        return undefined;
      }
      const binary = compoundToBinary(op);
      const current = superGet(rw, lex, target);
      if (binary === undefined) {
        // `&&=`, `||=`, `??=`: assign only when the short-circuit lets it.
        const logical =
          op === ts.SyntaxKind.AmpersandAmpersandEqualsToken
            ? ts.SyntaxKind.AmpersandAmpersandToken
            : op === ts.SyntaxKind.BarBarEqualsToken
              ? ts.SyntaxKind.BarBarToken
              : ts.SyntaxKind.QuestionQuestionToken;
        const set = f.createCallExpression(f.createIdentifier(lex.superSet!), undefined, [superKey(rw, target), value]);
        return ts.setTextRange(f.createParenthesizedExpression(f.createBinaryExpression(current, logical, set)), node);
      }
      value = f.createBinaryExpression(current, binary, f.createParenthesizedExpression(value));
    }
    return ts.setTextRange(f.createCallExpression(f.createIdentifier(lex.superSet!), undefined, [superKey(rw, target), value]), node);
  }
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && isSuperMember(skipOuter(node.operand))) {
    const target = skipOuter(node.operand) as ts.PropertyAccessExpression | ts.ElementAccessExpression;
    if (ts.isElementAccessExpression(target) && !isStableKey(target.argumentExpression)) {
      rw.ctx.report(node, 'GL2002', 'error', `++/-- on super[${target.argumentExpression.getText()}] inside an arrow function that may block is not supported: compute the key into a const first.`);
      return undefined;
    }
    const inc = node.operator === ts.SyntaxKind.PlusPlusToken;
    const current = f.createPrefixUnaryExpression(ts.SyntaxKind.PlusToken, superGet(rw, lex, target));
    const next = f.createBinaryExpression(current, inc ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken, f.createNumericLiteral(1));
    const set = f.createCallExpression(f.createIdentifier(lex.superSet!), undefined, [superKey(rw, target), next]);
    if (ts.isPrefixUnaryExpression(node)) return ts.setTextRange(set, node);
    // x++ gives the old value: set, then subtract back.
    const back = f.createBinaryExpression(set, inc ? ts.SyntaxKind.MinusToken : ts.SyntaxKind.PlusToken, f.createNumericLiteral(1));
    return ts.setTextRange(f.createParenthesizedExpression(back), node);
  }
  if (isSuperMember(node)) return ts.setTextRange(superGet(rw, lex, node), node);
  return undefined;
}

function isStableKey(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e);
}

function compoundToBinary(op: ts.SyntaxKind): ts.BinaryOperator | undefined {
  switch (op) {
    case ts.SyntaxKind.PlusEqualsToken: return ts.SyntaxKind.PlusToken;
    case ts.SyntaxKind.MinusEqualsToken: return ts.SyntaxKind.MinusToken;
    case ts.SyntaxKind.AsteriskEqualsToken: return ts.SyntaxKind.AsteriskToken;
    case ts.SyntaxKind.AsteriskAsteriskEqualsToken: return ts.SyntaxKind.AsteriskAsteriskToken;
    case ts.SyntaxKind.SlashEqualsToken: return ts.SyntaxKind.SlashToken;
    case ts.SyntaxKind.PercentEqualsToken: return ts.SyntaxKind.PercentToken;
    case ts.SyntaxKind.LessThanLessThanEqualsToken: return ts.SyntaxKind.LessThanLessThanToken;
    case ts.SyntaxKind.GreaterThanGreaterThanEqualsToken: return ts.SyntaxKind.GreaterThanGreaterThanToken;
    case ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken: return ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken;
    case ts.SyntaxKind.AmpersandEqualsToken: return ts.SyntaxKind.AmpersandToken;
    case ts.SyntaxKind.BarEqualsToken: return ts.SyntaxKind.BarToken;
    case ts.SyntaxKind.CaretEqualsToken: return ts.SyntaxKind.CaretToken;
    default: return undefined;
  }
}
