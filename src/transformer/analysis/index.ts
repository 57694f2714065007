/** The analysis (who is green): the whole-program entry, the per-file project cache, and the codes it reports. */
export { analyzeProgram, ownSourceFiles, type AnalysisOptions, type AnalysisStats, type WholeProgram } from './analyze.js';
export { createProjectAnalysis, readProject, type ProjectAnalysis, type ProjectAnalysisOptions, type ProjectInput } from './project.js';
export { analysisCodes, formatMessage, type AnalysisCode, type CodeInfo } from './codes.js';
export type { CallKind, CallSite, FileAnalysis, FunctionLike, IterationKind, ProgramAnalysis } from './types.js';
