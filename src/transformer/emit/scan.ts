/** Small syntactic questions the rewrite asks about function bodies. */
import ts from 'typescript';

/** Does `body` use `this`, `arguments`, `super` or `new.target` of the enclosing function (looking into arrows,
 * not into functions, methods or class bodies that have their own)? */
export interface LexicalUses {
  this: boolean;
  arguments: boolean;
  super: boolean;
  newTarget: boolean;
}

const usesCache = new WeakMap<ts.Node, LexicalUses>();

export function lexicalUses(body: ts.Node): LexicalUses {
  // Asked for every green function and arrow (and again for each nested one): remember the answer.
  let cached = usesCache.get(body);
  if (cached === undefined) usesCache.set(body, (cached = computeLexicalUses(body)));
  return cached;
}

function computeLexicalUses(body: ts.Node): LexicalUses {
  const r: LexicalUses = { this: false, arguments: false, super: false, newTarget: false };
  const walk = (n: ts.Node): void => {
    if (n.kind === ts.SyntaxKind.ThisKeyword) r.this = true;
    else if (n.kind === ts.SyntaxKind.SuperKeyword) r.super = true;
    else if (ts.isMetaProperty(n) && n.keywordToken === ts.SyntaxKind.NewKeyword) r.newTarget = true;
    else if (ts.isIdentifier(n) && n.text === 'arguments' && isReference(n)) r.arguments = true;
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) {
      // Computed names of methods are evaluated outside them.
      if ((ts.isMethodDeclaration(n) || ts.isAccessor(n)) && ts.isComputedPropertyName(n.name)) walk(n.name);
      return;
    }
    if (ts.isClassLike(n)) {
      for (const m of n.members) if (m.name !== undefined && ts.isComputedPropertyName(m.name)) walk(m.name);
      n.heritageClauses?.forEach(walk);
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(body);
  return r;
}

/** An identifier in expression position (not a property name or a declaration's name). */
export function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (p === undefined) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isAccessor(p)) && p.name === id) {
    return false;
  }
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isParameter(p) || ts.isClassLike(p)) && p.name === id) {
    return false;
  }
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/** The name a function expression or arrow gets from where it stands (`const f = () => …` is named "f"). */
export function inferredName(node: ts.Node): string {
  const p = node.parent;
  if (p === undefined) return '';
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name !== undefined) {
    const n = p.name;
    if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === node) {
    if (ts.isIdentifier(p.left)) return p.left.text;
    if (ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  }
  if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) return inferredName(p);
  if (ts.isExportAssignment(p)) return 'default';
  return '';
}

/** `fn.length`: parameters before the first one with a default or a rest (TypeScript's `this` excluded). */
export function formalLength(params: readonly ts.ParameterDeclaration[]): number {
  let n = 0;
  for (const p of params) {
    if (ts.isIdentifier(p.name) && p.name.text === 'this') continue;
    if (p.initializer !== undefined || p.dotDotDotToken !== undefined) break;
    n++;
  }
  return n;
}

/** Does any call inside `node` (not inside nested functions) satisfy `pred`? */
export function someCall(node: ts.Node, pred: (n: ts.Node) => boolean): ts.Node | undefined {
  let found: ts.Node | undefined;
  const walk = (n: ts.Node): void => {
    if (found !== undefined) return;
    if ((ts.isCallExpression(n) || ts.isTaggedTemplateExpression(n) || ts.isSpreadElement(n) || ts.isArrayBindingPattern(n)) && pred(n)) {
      found = n;
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

/** A plain wrapper's parameter list: the original's names (`_i` for a pattern), as many as its `length`. */
export function wrapperParameters(f: ts.NodeFactory, params: ts.NodeArray<ts.ParameterDeclaration>): ts.ParameterDeclaration[] {
  return params
    .filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'))
    .slice(0, formalLength(params))
    .map((p, i) => f.createParameterDeclaration(undefined, undefined, ts.isIdentifier(p.name) ? p.name.text : `_${i}`));
}
