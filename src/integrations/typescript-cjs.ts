/**
 * TypeScript loaded by require(). The loader points the transformer's `import ts from 'typescript'` here: Node
 * imports a CommonJS file into an ES module only after scanning its source for module syntax and for its export
 * names, which for TypeScript's 9 MB typescript.js costs more than loading it (~0.6 s of a cold start).
 */
import { createRequire } from 'node:module';
import type TS from 'typescript';

const ts = createRequire(import.meta.url)('typescript') as typeof TS;
export default ts;
