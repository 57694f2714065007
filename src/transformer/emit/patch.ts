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
 * become `alias.fetch` (unless the file declares its own `fetch`).
 */
export function patchVisitor(
  tctx: ts.TransformationContext,
  sf: ts.SourceFile,
  patch: TransformOptions['patch'],
  fetchAlias: string | undefined,
  checker?: ts.TypeChecker,
): (node: ts.Node) => ts.Node {
  const f = tctx.factory;
  const localFetch = fetchAlias !== undefined && declaresFetch(sf, checker);
  const spec = (lit: ts.Expression): ts.Expression => {
    if (!ts.isStringLiteral(lit)) return lit;
    const to = patchedSpecifier(lit.text, patch);
    return to === undefined ? lit : ts.setTextRange(f.createStringLiteral(to), lit);
  };
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
    if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isRequire || callee.kind === ts.SyntaxKind.ImportKeyword) {
        const s = spec(node.arguments[0]);
        if (s !== node.arguments[0]) {
          return f.updateCallExpression(node, callee, node.typeArguments, [s, ...node.arguments.slice(1)]);
        }
      }
    }
    if (fetchAlias !== undefined && !localFetch && ts.isIdentifier(node) && node.text === 'fetch' && isGlobalFetch(node)) {
      return ts.setTextRange(f.createPropertyAccessExpression(f.createIdentifier(fetchAlias), 'fetch'), node);
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  return visit;
}

/** `fetch` used as a value (not `obj.fetch`, not a declaration, not a type). */
function isGlobalFetch(id: ts.Identifier): boolean {
  if (id.parent === undefined || !isReference(id)) return false;
  if (ts.isShorthandPropertyAssignment(id.parent)) return false;
  if (ts.isTypeReferenceNode(id.parent) || ts.isTypeQueryNode(id.parent)) return false;
  return true;
}

/** Does the file declare its own `fetch` (then its references are not the global's)? */
function declaresFetch(sf: ts.SourceFile, _checker?: ts.TypeChecker): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    const name = (n as { name?: ts.Node }).name;
    if (
      (ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isParameter(n) || ts.isClassDeclaration(n) ||
        ts.isImportSpecifier(n) || ts.isImportClause(n) || ts.isNamespaceImport(n) || ts.isBindingElement(n)) &&
      name !== undefined && ts.isIdentifier(name) && name.text === 'fetch'
    ) {
      found = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return found;
}

/** Does the file contain anything the patch rewrites? (Cheap text test first.) */
export function mayNeedPatch(sf: ts.SourceFile, patch: TransformOptions['patch']): boolean {
  if (patch === undefined || patch === false) return false;
  if (patchesFetch(patch) && /\bfetch\b/.test(sf.text)) return true;
  return Object.keys(MODULES).some((m) => sf.text.includes(`'${m}'`) || sf.text.includes(`"${m}"`) || sf.text.includes(`node:${m}`));
}
