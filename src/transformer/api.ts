/** The transform's public types: what every integration (CLI, loader, tsc, bundlers, Babel) passes and gets. */

/** Which Node modules `patch` points at the green modules (gevent's monkey.patch_all arguments). */
export interface PatchOptions {
  fs?: boolean;
  net?: boolean;
  dns?: boolean;
  childProcess?: boolean;
  timers?: boolean;
  fetch?: boolean;
  http?: boolean;
  tls?: boolean;
  select?: boolean;
  signal?: boolean;
}

export interface TransformOptions {
  /** Point transformed code's imports of node:fs, node:net, … (and the global fetch) at the green modules. */
  patch?: boolean | PatchOptions;
  /** Differential testing: treat every function as green and every call as dynamic. */
  forceGreen?: boolean;
  /** Module specifier the emitted code imports the runtime from (default 'greenlets/convention' etc.). */
  runtimeModule?: string;
  /** Files to transform / leave alone (globs or RegExps), as every integration accepts them. */
  include?: Array<string | RegExp>;
  exclude?: Array<string | RegExp>;
  /** Lowest severity reported: 'error' | 'warning' | 'info' (default 'warning'). */
  diagnostics?: 'error' | 'warning' | 'info' | 'none';
  /** Emit a source map (default true). */
  sourceMap?: boolean;
  /** tsconfig.json used for the whole-program analysis (default: the nearest one). */
  tsconfig?: string;
}

export type DiagnosticCategory = 'error' | 'warning' | 'info';

export interface GreenletsDiagnostic {
  /** Stable code: GL1001, … */
  code: string;
  category: DiagnosticCategory;
  message: string;
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface TransformResult {
  code: string;
  /** Source map v3 as JSON text, or null when sourceMap is false. */
  map: string | null;
  diagnostics: GreenletsDiagnostic[];
}
