/**
 * The emitter's diagnostic codes (GL2xxx: constructs the rewrite refuses or handles specially) and the input
 * codes (GL9xxx: syntax and type errors, configuration, internal failures). One registry, so tests and docs
 * can list them; every message says what to do.
 */
import type { DiagnosticCategory } from '../api.js';

export interface EmitterCode {
  category: DiagnosticCategory;
  /** What the code is about (for docs and the fixture coverage test). */
  summary: string;
  /** False for codes no input should produce (internal failures): they are tested without a fixture. */
  fixture?: boolean;
}

export const emitterCodes = {
  GL2001: {
    category: 'error',
    summary: 'top-level code that may block in a file compiled to CommonJS (it needs an ES module: top-level await)',
  },
  GL2002: {
    category: 'error',
    summary: 'a function the analysis made green cannot be written in generator form (the construct is named)',
  },
  GL2003: {
    category: 'error',
    summary: '`await using` in top-level code that runs in the main greenlet',
  },
  GL2010: {
    category: 'warning',
    summary: 'a higher-order built-in with a green callback called in a form the green equivalent cannot take',
    // The analysis reports built-ins only for method calls (`xs.map(cb)`), so no input reaches it today; a
    // unit test drives it with an analysis that does.
    fixture: false,
  },
  GL9001: { category: 'error', summary: 'a syntax error (TypeScript reports it; the file is emitted as TypeScript can)' },
  GL9002: { category: 'error', summary: 'a type error (TypeScript reports it; the file is still transformed)' },
  GL9003: { category: 'error', summary: 'the analysis failed on this file: it is compiled without the transform', fixture: false },
  GL9004: { category: 'error', summary: 'the rewrite failed on a construct (named): the file is compiled without the transform', fixture: false },
  GL9010: { category: 'error', summary: 'tsconfig.json could not be read', fixture: false },
} satisfies Record<string, EmitterCode>;

export type EmitterCodeName = keyof typeof emitterCodes;
