/**
 * `import fs = require('fs')` in a file emitted as an ES module. TypeScript's ES module output drops the
 * declaration without a word (only its Node16/NodeNext output turns it into a createRequire call), so the name
 * would be undefined at run time. A file with ES imports is an ES module to Node even when tsconfig says
 * "module": "commonjs", so `greenlets run` and the loader emit it as one: here the declaration becomes what
 * TypeScript's NodeNext output makes of it, a `require` made by createRequire(import.meta.url). A declaration
 * used only in types is left for TypeScript to elide.
 */
import ts from 'typescript';

const REQUIRE = '__greenlets_require';

/** Is the module format ES (where import-equals would be dropped)? */
export function emitsEsModules(o: ts.CompilerOptions): boolean {
  const m = o.module;
  return m === ts.ModuleKind.ES2015 || m === ts.ModuleKind.ES2020 || m === ts.ModuleKind.ES2022 || m === ts.ModuleKind.ESNext;
}

export function importRequireTransformer(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  const f = context.factory;
  return (sf) => {
    const original = ts.getOriginalNode(sf) as ts.SourceFile;
    const targets = original.statements.filter(isRequireImport);
    if (targets.length === 0) return sf;
    const used = valueNames(original, new Set(targets.map((s) => s.name.text)));
    if (used.size === 0) return sf;
    let changed = false;
    const statements = sf.statements.map((s) => {
      const o = ts.getOriginalNode(s);
      if (!ts.isImportEqualsDeclaration(o) || !isRequireImport(o) || !used.has(o.name.text)) return s;
      changed = true;
      const ref = o.moduleReference as ts.ExternalModuleReference;
      const exported = o.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const decl = f.createVariableStatement(
        exported ? [f.createModifier(ts.SyntaxKind.ExportKeyword)] : undefined,
        f.createVariableDeclarationList(
          [f.createVariableDeclaration(o.name.text, undefined, undefined, f.createCallExpression(f.createIdentifier(REQUIRE), undefined, [ref.expression]))],
          ts.NodeFlags.Const,
        ),
      );
      return ts.setTextRange(ts.setOriginalNode(decl, o), o);
    });
    if (!changed) return sf;
    const prologue = [
      f.createImportDeclaration(
        undefined,
        f.createImportClause(false, undefined, f.createNamedImports([f.createImportSpecifier(false, f.createIdentifier('createRequire'), f.createIdentifier('__greenlets_createRequire'))])),
        f.createStringLiteral('node:module'),
      ),
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [
            f.createVariableDeclaration(
              REQUIRE,
              undefined,
              undefined,
              f.createCallExpression(f.createIdentifier('__greenlets_createRequire'), undefined, [f.createPropertyAccessExpression(f.createMetaProperty(ts.SyntaxKind.ImportKeyword, f.createIdentifier('meta')), 'url')]),
            ),
          ],
          ts.NodeFlags.Const,
        ),
      ),
    ];
    return f.updateSourceFile(sf, [...prologue, ...statements]);
  };
}

function isRequireImport(s: ts.Statement): s is ts.ImportEqualsDeclaration {
  return ts.isImportEqualsDeclaration(s) && !s.isTypeOnly && ts.isExternalModuleReference(s.moduleReference);
}

/** Which of `names` the file mentions outside types (a value use keeps the require). */
function valueNames(sf: ts.SourceFile, names: Set<string>): Set<string> {
  const used = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isTypeNode(n) || ts.isImportEqualsDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
    if (ts.isIdentifier(n) && names.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return used;
}
