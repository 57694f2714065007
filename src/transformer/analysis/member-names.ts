/**
 * Which method names the analysis must resolve with the checker at a call `recv.name(...)`. Resolving the name
 * means type-checking the receiver (`rows.filter(f).map(g).join(',')` resolves every call of the chain), which
 * is most of what the analysis costs. A call needs it only if `name` could be:
 *   - a function of the program itself (every name its own files declare or assign as a property);
 *   - a root (a `@blocking` declaration of a .d.ts: found by a syntax walk of the files that mention the tag);
 *   - a built-in the analysis models (container methods, Function.prototype.call/apply/bind, Object.values,
 *     Array.from), or a thread-blocking call (`…Sync`, Atomics.wait).
 * Any other call (`console.log`, `s.toUpperCase()`, `em.on(...)`) is untransformed code: it matters only when
 * a green function is passed to it, and then the solver resolves it (Solver.checkCallbacks).
 */
import ts from 'typescript';

const MODELLED = [
  // Array, ReadonlyArray, typed arrays
  'at', 'concat', 'copyWithin', 'entries', 'every', 'fill', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'flat', 'flatMap', 'forEach', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map', 'pop', 'push', 'reduce',
  'reduceRight', 'reverse', 'shift', 'slice', 'some', 'sort', 'splice', 'toReversed', 'toSorted', 'toSpliced', 'unshift',
  'values', 'with',
  // Map, Set, iterators
  'get', 'set', 'has', 'delete', 'add', 'clear', 'next', 'return', 'throw',
  // constructors and Function.prototype
  'from', 'of', 'call', 'apply', 'bind',
  // thread blockers
  'wait',
  // Greenlet.value, which holds what the spawned function returned (a function, sometimes)
  'value',
];

export class MemberNames {
  private names = new Set<string>(MODELLED);

  constructor(program: ts.Program, ownFiles: ReadonlySet<ts.SourceFile>) {
    for (const sf of program.getSourceFiles()) {
      if (ownFiles.has(sf)) this.addDeclared(sf);
      else if (program.isSourceFileDefaultLibrary(sf)) continue;
      // A package's declarations: its tagged names, and every name it re-exports (a root may be renamed).
      else if (!sf.fileName.includes('/@types/') || sf.text.includes('@blocking')) this.addTagged(sf, sf.text.includes('@blocking'));
    }
  }

  /** An own member is named by an expression whose value the syntax does not show (`[KEY]() {}`): every call
   * must then be resolved. */
  private unknownNames = false;

  /** Must `recv.name(...)` be resolved with the checker? */
  mustResolve(name: string): boolean {
    return this.unknownNames || this.names.has(name) || name.endsWith('Sync');
  }

  private add(name: ts.Node | undefined): void {
    if (!name) return;
    if (ts.isComputedPropertyName(name)) {
      const e = name.expression;
      if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) this.names.add(e.text);
      // `[Symbol.iterator]`, `[GREEN]`-like symbol keys cannot be called as `.name`; anything else might be a string.
      else if (!(ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Symbol')) this.unknownNames = true;
      return;
    }
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) this.names.add(name.text);
  }

  /** Every member name an own file declares (classes, interfaces, object literals, destructuring) or assigns. */
  private addDeclared(sf: ts.SourceFile): void {
    const walk = (n: ts.Node): void => {
      switch (n.kind) {
        case ts.SyntaxKind.MethodDeclaration:
        case ts.SyntaxKind.MethodSignature:
        case ts.SyntaxKind.PropertyDeclaration:
        case ts.SyntaxKind.PropertySignature:
        case ts.SyntaxKind.PropertyAssignment:
        case ts.SyntaxKind.ShorthandPropertyAssignment:
        case ts.SyntaxKind.GetAccessor:
        case ts.SyntaxKind.SetAccessor:
        case ts.SyntaxKind.FunctionDeclaration:
        case ts.SyntaxKind.VariableDeclaration:
          this.add((n as ts.NamedDeclaration).name);
          break;
        case ts.SyntaxKind.Parameter:
          // constructor(private onMessage: …): a property
          if (ts.isParameterPropertyDeclaration(n, n.parent)) this.add(n.name);
          break;
        case ts.SyntaxKind.BindingElement:
          this.add((n as ts.BindingElement).propertyName ?? (n as ts.BindingElement).name);
          break;
        case ts.SyntaxKind.BinaryExpression: {
          const b = n as ts.BinaryExpression;
          if (b.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(b.left)) this.add(b.left.name);
          break;
        }
        case ts.SyntaxKind.ExportSpecifier:
        case ts.SyntaxKind.ImportSpecifier:
          // `ns.f()` through `export { g as f }`
          this.add((n as ts.ExportSpecifier).name);
          break;
      }
      ts.forEachChild(n, walk);
    };
    walk(sf);
  }

  /** Names of declarations tagged @blocking in a declaration (or other not-own) file. */
  private addTagged(sf: ts.SourceFile, tagged: boolean): void {
    const walk = (n: ts.Node): void => {
      if (ts.isExportSpecifier(n)) this.add(n.name);
      const jsdoc = tagged ? (n as { jsDoc?: ts.JSDoc[] }).jsDoc : undefined;
      if (jsdoc?.some((d) => d.tags?.some((t) => t.tagName.text === 'blocking'))) {
        if (ts.isVariableStatement(n)) for (const d of n.declarationList.declarations) this.add(d.name);
        else this.add((n as ts.NamedDeclaration).name);
      }
      ts.forEachChild(n, walk);
    };
    walk(sf);
  }
}
