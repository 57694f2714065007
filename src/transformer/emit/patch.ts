/**
 * Patching (api.md `patch`, gevent's monkey.patch_all at build time): in transformed files, imports and
 * requires of the Node modules are pointed at the green modules, and the global `fetch` at the green fetch, so
 * unchanged synchronous code suspends the greenlet instead of the thread.
 */
import ts from 'typescript';
import type { PatchOptions, TransformOptions } from '../api.js';
import { isReference } from './scan.js';

/** Node module → [PatchOptions flag, green module]. */
const MODULES: Record<string, [keyof PatchOptions, string]> = {
  fs: ['fs', 'greenlets/fs'],
  net: ['net', 'greenlets/socket'],
  dns: ['dns', 'greenlets/dns'],
  child_process: ['childProcess', 'greenlets/subprocess'],
  timers: ['timers', 'greenlets/timers'],
  http: ['http', 'greenlets/http'],
  https: ['http', 'greenlets/https'],
  tls: ['tls', 'greenlets/ssl'],
};

export const GREEN_FETCH_MODULE = 'greenlets/http';

function enabled(patch: TransformOptions['patch'], flag: keyof PatchOptions): boolean {
  if (patch === undefined || patch === false) return false;
  if (patch === true) return true;
  return patch[flag] === true;
}

/** The green module a specifier is patched to, or undefined. */
export function patchedSpecifier(spec: string, patch: TransformOptions['patch']): string | undefined {
  const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
  const m = MODULES[bare];
  return m !== undefined && enabled(patch, m[0]) ? m[1] : undefined;
}

export function patchesFetch(patch: TransformOptions['patch']): boolean {
  return enabled(patch, 'fetch');
}

/**
 * Rewrite module specifiers in import/export declarations, `import x = require()`, `require()` and `import()`.
 * `fetchAlias`, when given, is the namespace the green fetch is read from: references to the global `fetch`
 * (and `globalThis.fetch`) become `alias.fetch`, except where a local declaration shadows it.
 */
export function patchVisitor(
  tctx: ts.TransformationContext,
  _sf: ts.SourceFile,
  patch: TransformOptions['patch'],
  fetchAlias: string | undefined,
): (node: ts.Node) => ts.Node {
  const f = tctx.factory;
  const spec = (lit: ts.Expression): ts.Expression => {
    if (!ts.isStringLiteralLike(lit)) return lit;
    const to = patchedSpecifier(lit.text, patch);
    return to === undefined ? lit : ts.setTextRange(f.createStringLiteral(to), lit);
  };
  const greenFetch = (at: ts.Node) =>
    ts.setTextRange(f.createPropertyAccessExpression(f.createIdentifier(fetchAlias!), 'fetch'), at);
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      const s = spec(node.moduleSpecifier);
      return s === node.moduleSpecifier ? node : f.updateImportDeclaration(node, node.modifiers, node.importClause, s, node.attributes);
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const s = spec(node.moduleSpecifier);
      return s === node.moduleSpecifier ? node : f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, s, node.attributes);
    }
    if (ts.isExternalModuleReference(node)) {
      const s = spec(node.expression);
      return s === node.expression ? node : f.updateExternalModuleReference(node, s);
    }
    if (ts.isImportTypeNode(node)) return node;
    if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      // `require` may be a local (`const require = createRequire(import.meta.url)`): patched all the same.
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) {
        const s = spec(node.arguments[0]);
        if (s !== node.arguments[0]) {
          return f.updateCallExpression(node, callee, node.typeArguments, [s, ...node.arguments.slice(1).map((a) => visit(a) as ts.Expression)]);
        }
      }
    }
    if (fetchAlias !== undefined) {
      if (ts.isIdentifier(node) && node.text === 'fetch' && isGlobalFetch(node)) return greenFetch(node);
      if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'fetch' && node.objectAssignmentInitializer === undefined) {
        const o = ts.getOriginalNode(node.name);
        if (o.parent !== undefined && !isShadowed(o as ts.Identifier, 'fetch')) return f.createPropertyAssignment('fetch', greenFetch(node));
      }
      if (
        ts.isPropertyAccessExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'globalThis' &&
        node.name.text === 'fetch' &&
        !isAssigned(node)
      ) {
        const o = ts.getOriginalNode(node.expression);
        if (o.parent !== undefined && !isShadowed(o as ts.Identifier, 'globalThis')) return greenFetch(node);
      }
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  return visit;
}

/** `fetch` used as a value (not `obj.fetch`, not a declaration, not a type), and not shadowed. */
function isGlobalFetch(node: ts.Identifier): boolean {
  // The rewrite may have rebuilt the parents: decide on the original node, which has them.
  const id = ts.getOriginalNode(node) as ts.Identifier;
  if (id.parent === undefined || !isReference(id)) return false;
  const p = id.parent;
  if (ts.isShorthandPropertyAssignment(p) || ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || ts.isExpressionWithTypeArguments(p)) return false;
  if (ts.isBinaryExpression(p) && p.left === id && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  return !isShadowed(id, 'fetch');
}

function isAssigned(node: ts.Expression): boolean {
  const p = (ts.getOriginalNode(node) as ts.Expression).parent;
  return p !== undefined && ts.isBinaryExpression(p) && p.left === ts.getOriginalNode(node) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** Is `name`, seen from `id`, declared by the program (a local, a parameter, an import) rather than global? */
export function isShadowed(id: ts.Node, name: string): boolean {
  for (let n: ts.Node | undefined = id.parent; n !== undefined; n = n.parent) {
    if (declaresIn(n, name)) return true;
  }
  return false;
}

/** Does this scope-introducing node declare `name` for its scope? */
function declaresIn(scope: ts.Node, name: string): boolean {
  const is = (b: ts.BindingName | undefined): boolean => b !== undefined && boundNames(b).includes(name);
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseBlock(scope)) {
    const statements = ts.isCaseBlock(scope) ? scope.clauses.flatMap((c) => [...c.statements]) : scope.statements;
    for (const s of statements) {
      if (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => is(d.name))) return true;
      if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) && s.name !== undefined && ts.isIdentifier(s.name) && s.name.text === name) return true;
      if (ts.isImportDeclaration(s) && s.importClause !== undefined) {
        const c = s.importClause;
        if (c.name?.text === name) return true;
        const b = c.namedBindings;
        if (b !== undefined && (ts.isNamespaceImport(b) ? b.name.text === name : b.elements.some((e) => e.name.text === name))) return true;
      }
      if (ts.isImportEqualsDeclaration(s) && s.name.text === name) return true;
    }
    // `var` anywhere in the function (or file) body, outside nested functions, is scoped here too.
    if (ts.isSourceFile(scope) || (ts.isBlock(scope) && scope.parent !== undefined && ts.isFunctionLike(scope.parent))) return declaresVar(scope, name);
    return false;
  }
  if (ts.isFunctionLike(scope)) {
    if (scope.parameters.some((p) => is(p.name))) return true;
    const own = (scope as ts.FunctionExpression).name;
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && own !== undefined && ts.isIdentifier(own) && own.text === name) return true;
    return false;
  }
  if (ts.isClassExpression(scope)) return scope.name?.text === name;
  if (ts.isCatchClause(scope)) return is(scope.variableDeclaration?.name);
  if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
    const init = scope.initializer;
    return init !== undefined && ts.isVariableDeclarationList(init) && init.declarations.some((d) => is(d.name));
  }
  return false;
}

function declaresVar(scope: ts.Node, name: string): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found || (n !== scope && (ts.isFunctionLike(n) || ts.isClassLike(n)))) return;
    if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0 && n.declarations.some((d) => boundNames(d.name).includes(name))) {
      found = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(scope);
  return found;
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const e of name.elements) if (!ts.isOmittedExpression(e)) out.push(...boundNames(e.name));
  return out;
}

/** Does the file contain anything the patch rewrites? (Cheap text test first.) */
export function mayNeedPatch(sf: ts.SourceFile, patch: TransformOptions['patch']): boolean {
  if (patch === undefined || patch === false) return false;
  if (patchesFetch(patch) && /\bfetch\b/.test(sf.text)) return true;
  return Object.keys(MODULES).some((m) => sf.text.includes(`'${m}'`) || sf.text.includes(`"${m}"`) || sf.text.includes(`\`${m}\``) || sf.text.includes(`node:${m}`));
}
