/**
 * How roots are declared: JSDoc tags, which survive into `.d.ts` so packages compiled by greenlets mark their
 * own green exports the same way (docs/architecture.md, "Declaring roots").
 *   @blocking          a blocking primitive or any green function/method/property (a root of the analysis)
 *   @blockingIterable  an interface whose objects (or whose [GREEN_ITERATOR]() results) block when iterated
 *   @acceptsGreen      a function/method/class of untransformed code that knows the green calling convention
 *                      (spawn, Greenlet, link): green callbacks may be passed to it as they are
 */
import ts from 'typescript';

export function hasJSDocTag(decl: ts.Node, tag: string): boolean {
  for (const t of ts.getJSDocTags(decl)) if (t.tagName.text === tag) return true;
  // `export const f = ...`: the JSDoc sits on the VariableStatement.
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent)) {
    const stmt = decl.parent.parent;
    if (ts.isVariableStatement(stmt)) for (const t of ts.getJSDocTags(stmt)) if (t.tagName.text === tag) return true;
  }
  return false;
}

export function symbolHasTag(symbol: ts.Symbol | undefined, tag: string): boolean {
  if (!symbol?.declarations) return false;
  for (const d of symbol.declarations) if (hasJSDocTag(d, tag)) return true;
  return false;
}

/** Follow import/export aliases to the declared symbol. */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    try {
      return checker.getAliasedSymbol(symbol);
    } catch {
      return symbol;
    }
  }
  return symbol;
}

/** Declarations whose runtime value is not one fixed function: calls through them must test [GREEN] (dynamic). */
export function isAbstractDeclaration(decl: ts.Declaration): boolean {
  if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl) || ts.isCallSignatureDeclaration(decl)) return true;
  const mods = ts.canHaveModifiers(decl) ? ts.getModifiers(decl) : undefined;
  return mods?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) ?? false;
}

/** Is this untransformed declaration aware of the green calling convention (green callbacks may pass as is)? */
export function acceptsGreen(decl: ts.Declaration, isRuntimeDir: (dir: string) => boolean): boolean {
  if (hasJSDocTag(decl, 'acceptsGreen')) return true;
  const parent = decl.parent;
  if (parent && (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && hasJSDocTag(parent, 'acceptsGreen'))
    return true;
  // Until every runtime entry point carries the tag: the greenlets package's own declarations know the convention.
  // A runtime directory is one holding the calling convention (convention.ts / .d.ts with @blockingIterable).
  const file = decl.getSourceFile().fileName;
  return isRuntimeDir(file.slice(0, file.lastIndexOf('/'))) || /\/node_modules\/greenlets\//.test(file);
}

/**
 * `@blocking` alone: the declaration always may block. `@blocking fn` (what a library compiled by greenlets
 * emits for a function that blocks only through its callback parameters): it blocks only when given green
 * functions as those parameters — the argument positions returned. Words of the tag's comment that are not
 * parameter names are prose (`@blocking until ready`): the declaration blocks always.
 */
export function blockingPositions(checker: ts.TypeChecker, symbol: ts.Symbol): 'always' | number[] {
  const positions = new Set<number>();
  for (const d of symbol.declarations ?? []) {
    const tags = [...ts.getJSDocTags(d)];
    if (ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent) && ts.isVariableStatement(d.parent.parent)) {
      tags.push(...ts.getJSDocTags(d.parent.parent));
    }
    for (const t of tags) {
      if (t.tagName.text !== 'blocking') continue;
      const words = (ts.getTextOfJSDocComment(t.comment) ?? '').split(/[\s,]+/).filter((w) => w.length > 0);
      if (words.length === 0) return 'always';
      const names = parameterNames(checker, d);
      const found = words.map((w) => names.indexOf(w));
      if (found.some((i) => i < 0)) return 'always';
      for (const i of found) positions.add(i);
    }
  }
  return positions.size > 0 ? [...positions].sort((a, b) => a - b) : 'always';
}

export function parameterNames(checker: ts.TypeChecker, d: ts.Declaration): string[] {
  let params: readonly ts.ParameterDeclaration[] | undefined;
  if (ts.isFunctionLike(d)) params = d.parameters;
  else {
    const sig = checker.getTypeAtLocation(d).getCallSignatures()[0];
    const decl = sig?.getDeclaration();
    params = decl && !ts.isJSDocSignature(decl) ? decl.parameters : undefined;
  }
  return (params ?? [])
    .filter((p, i) => !(i === 0 && ts.isIdentifier(p.name) && p.name.text === 'this'))
    .map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
}
