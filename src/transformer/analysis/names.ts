/** Human names and locations of functions and sites, for diagnostics and `--explain`. */
import ts from 'typescript';
import type { Container, Value } from './model.js';

export function location(node: ts.Node): string {
  const sf = node.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${sf.fileName}:${line + 1}:${character + 1}`;
}

function nameText(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function className(cls: ts.Node): string {
  return (ts.isClassLike(cls) && nameText(cls.name)) || 'class';
}

/** `f`, `Class.method`, `get Class.x`, `constructor of Class`, or where an anonymous function is. */
export function functionName(node: ts.Node): string {
  const parent = node.parent;
  if (ts.isConstructorDeclaration(node)) return `${className(parent)}`;
  const own = nameText((node as ts.NamedDeclaration).name);
  if (own !== undefined) {
    if (ts.isClassLike(parent)) return `${className(parent)}.${own}`;
    return own;
  }
  if (parent) {
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.initializer === node) {
      const n = nameText(parent.name);
      if (n !== undefined) return ts.isPropertyDeclaration(parent) ? `${className(parent.parent)}.${n}` : n;
    }
    if (ts.isExportAssignment(parent)) return 'default export';
  }
  const kind = ts.isArrowFunction(node) ? 'arrow function' : 'function';
  return `<${kind} at ${location(node)}>`;
}

export function containerName(c: Container): string {
  if (c.kind === 'top') return `top level of ${c.sourceFile.fileName}`;
  if (c.kind === 'static') return className(c.node.parent);
  if (c.kind === 'script') return `top level of ${c.sourceFile.fileName}`;
  if (c.kind === 'default') return nameText((c.node as ts.ParameterDeclaration).name) ?? 'parameter';
  if (c.kind === 'field') {
    const p = c.node as ts.PropertyDeclaration;
    return `${className(p.parent)}.${nameText(p.name) ?? '[computed]'}`;
  }
  return functionName(c.node);
}

export function valueName(v: Value): string {
  if (v.kind === 'root') return v.symbol.name;
  if (v.kind === 'bound') return `${v.call.expression.getText()}(…)`;
  if (v.kind === 'outside') return 'a callback from a caller outside this program';
  if (v.kind === 'iterable') return 'a blocking iterable';
  return functionName(v.node);
}
