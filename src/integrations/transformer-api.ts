/**
 * The parts of src/transformer the integrations use, gathered in one module that has no top-level await, so
 * it can also be loaded by `require()` (ts-patch loads its plugins that way; Node's synchronous module hooks
 * cannot await). Loading it loads TypeScript: the warm paths (a cache hit) never import it.
 */
import ts from 'typescript';

export { ts };
export { analyzeProgram } from '../transformer/analysis/index.js';
export { forceGreenAnalysis } from '../transformer/analysis/force-green.js';
export type { FileAnalysis, FunctionLike, ProgramAnalysis } from '../transformer/analysis/types.js';
export { createGreenletsTransformer, type AnalysisLookup } from '../transformer/emit/transformer.js';
export { createDeclarationsTransformer } from '../transformer/emit/declarations.js';
export { rekeyAnalysis } from '../transformer/emit/rekey.js';
export { tsDiagnostics } from '../transformer/emit/ts-diagnostics.js';
export { filterDiagnostics, formatDiagnostic } from '../transformer/diagnostics.js';

export type TransformerApi = typeof import('./transformer-api.js');
