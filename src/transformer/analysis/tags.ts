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
