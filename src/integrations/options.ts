/**
 * The options every integration takes (api.md Tooling) — `patch`, `include`/`exclude`, `diagnostics`,
 * `tsconfig`, `sourceMap`, `cache` — checked the same way everywhere, and their round trip through GREENLETS_*
 * environment variables for `node --import greenlets/register`.
 */
import path from 'node:path';
import type { PatchOptions, TransformOptions } from '../transformer/api.js';
import { globToRegExp } from './glob.js';
import { packageRoot } from './package-info.js';

export const PATCH_NAMES = ['fs', 'net', 'dns', 'childProcess', 'timers', 'fetch', 'http', 'tls', 'select', 'signal'] as const;
export type PatchName = (typeof PATCH_NAMES)[number];

export type Pattern = string | RegExp;
export type DiagnosticsLevel = NonNullable<TransformOptions['diagnostics']>;
const LEVELS: readonly DiagnosticsLevel[] = ['error', 'warning', 'info', 'none'];

/** What a user passes to greenlets/vite, greenlets/babel, the tsc plugin entry, … */
export interface GreenletsOptions {
  /** gevent's monkey patching at build time: `true` for everything, or some of fs, net, dns, … */
  patch?: boolean | PatchOptions;
  /** Files to transform (globs relative to the working folder, or RegExps tested on the absolute path). */
  include?: Pattern | Pattern[];
  /** Files to leave alone; node_modules is always left alone (compiled packages ship their own output). */
  exclude?: Pattern | Pattern[];
  /** Lowest severity reported (default 'warning'); errors always stop the build or the run. */
  diagnostics?: DiagnosticsLevel;
  /** The tsconfig.json whose program is analysed (default: the nearest one to each file). */
  tsconfig?: string;
  /** Emit source maps (default true). */
  sourceMap?: boolean;
  /** Keep transformed files in a disk cache (default true). */
  cache?: boolean;
  /** Testing: every function green, every call dynamic. */
  forceGreen?: boolean;
}

const KNOWN = new Set(['patch', 'include', 'exclude', 'diagnostics', 'tsconfig', 'sourceMap', 'cache', 'forceGreen']);

/** Options after checking: what the transform gets, and which files it gets. */
export interface ResolvedOptions {
  transform: TransformOptions;
  include: RegExp[] | null;
  exclude: RegExp[];
  cache: boolean;
  /** The folder relative globs are matched from. */
  base: string;
}

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** `--patch` (everything) or `--patch=fs,net` (those only). */
export function parsePatchList(value: string | true | undefined): boolean | PatchOptions {
  if (value === undefined) return false;
  if (value === true || value === '' || value === 'all' || value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false' || value === 'none') return false;
  const out: PatchOptions = {};
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(PATCH_NAMES as readonly string[]).includes(name)) {
      throw new OptionsError(`unknown patch target '${name}'; expected a comma-separated list of ${PATCH_NAMES.join(', ')}`);
    }
    out[name as PatchName] = true;
  }
  return out;
}

export function patchToEnv(patch: boolean | PatchOptions | undefined): string {
  if (!patch) return '';
  if (patch === true) return 'all';
  return Object.entries(patch)
    .filter(([, on]) => on)
    .map(([k]) => k)
    .join(',');
}

function patterns(value: unknown, name: string, where: string): RegExp[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((p) => {
    if (p instanceof RegExp) return p;
    if (typeof p === 'string' && p !== '') {
      try {
        return globToRegExp(p.split(path.sep).join('/'));
      } catch (e) {
        throw new OptionsError(`${where}: option '${name}': ${(e as Error).message}`);
      }
    }
    throw new OptionsError(`${where}: option '${name}' takes glob strings or RegExps, not ${JSON.stringify(p)}`);
  });
}

function checkPatch(value: unknown, where: string): boolean | PatchOptions {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    try {
      return parsePatchList(value);
    } catch (e) {
      throw new OptionsError(`${where}: option 'patch': ${(e as Error).message}`);
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!(PATCH_NAMES as readonly string[]).includes(k)) {
        throw new OptionsError(`${where}: option 'patch' has an unknown target '${k}'; known: ${PATCH_NAMES.join(', ')}`);
      }
      if (typeof v !== 'boolean') throw new OptionsError(`${where}: option 'patch.${k}' must be true or false`);
    }
    return value as PatchOptions;
  }
  throw new OptionsError(`${where}: option 'patch' must be true, false, or an object such as { fs: true, net: true }`);
}

/** Check what the user passed; `where` names the integration in messages ("greenlets/vite"). */
export function resolveOptions(raw: GreenletsOptions | undefined, where: string, base = process.cwd()): ResolvedOptions {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new OptionsError(`${where}: options must be an object`);
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) throw new OptionsError(`${where}: unknown option '${k}'; the options are ${[...KNOWN].join(', ')}`);
  }
  const diagnostics = (o.diagnostics ?? 'warning') as DiagnosticsLevel;
  if (!LEVELS.includes(diagnostics)) {
    throw new OptionsError(`${where}: option 'diagnostics' must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(o.diagnostics)}`);
  }
  if (o.tsconfig !== undefined && (typeof o.tsconfig !== 'string' || o.tsconfig === '')) {
    throw new OptionsError(`${where}: option 'tsconfig' must be a path`);
  }
  for (const k of ['sourceMap', 'cache', 'forceGreen'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new OptionsError(`${where}: option '${k}' must be true or false`);
  }
  const transform: TransformOptions = {
    patch: checkPatch(o.patch, where),
    diagnostics,
    sourceMap: o.sourceMap !== false,
  };
  if (o.tsconfig !== undefined) transform.tsconfig = path.resolve(base, o.tsconfig as string);
  if (o.forceGreen === true) transform.forceGreen = true;
  return {
    transform,
    include: o.include === undefined ? null : patterns(o.include, 'include', where),
    exclude: o.exclude === undefined ? [] : patterns(o.exclude, 'exclude', where),
    cache: o.cache !== false,
    base,
  };
}

/** The options `greenlets/register` reads: GREENLETS_PATCH, _DIAGNOSTICS, _TSCONFIG, _INCLUDE, _EXCLUDE, _NO_CACHE. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): GreenletsOptions {
  const out: GreenletsOptions = {};
  const where = 'greenlets (environment)';
  if (env.GREENLETS_PATCH) {
    try {
      out.patch = parsePatchList(env.GREENLETS_PATCH);
    } catch (e) {
      throw new OptionsError(`${where}: GREENLETS_PATCH: ${(e as Error).message}`);
    }
  }
  if (env.GREENLETS_DIAGNOSTICS) {
    const level = env.GREENLETS_DIAGNOSTICS as DiagnosticsLevel;
    if (!LEVELS.includes(level)) {
      throw new OptionsError(`${where}: GREENLETS_DIAGNOSTICS must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
    }
    out.diagnostics = level;
  }
  if (env.GREENLETS_TSCONFIG) out.tsconfig = env.GREENLETS_TSCONFIG;
  const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined);
  const include = list(env.GREENLETS_INCLUDE);
  const exclude = list(env.GREENLETS_EXCLUDE);
  if (include) out.include = include;
  if (exclude) out.exclude = exclude;
  if (env.GREENLETS_NO_CACHE === '1' || env.GREENLETS_CACHE === '0') out.cache = false;
  return out;
}

/** The same options as GREENLETS_* variables (only what can travel as text: globs, not RegExps). */
export function optionsToEnv(o: GreenletsOptions): Record<string, string> {
  const env: Record<string, string> = {};
  const p = patchToEnv(o.patch);
  if (p) env.GREENLETS_PATCH = p;
  if (o.diagnostics) env.GREENLETS_DIAGNOSTICS = o.diagnostics;
  if (o.tsconfig) env.GREENLETS_TSCONFIG = o.tsconfig;
  const globs = (v: Pattern | Pattern[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  if (o.include !== undefined) env.GREENLETS_INCLUDE = globs(o.include).join(',');
  if (o.exclude !== undefined) env.GREENLETS_EXCLUDE = globs(o.exclude).join(',');
  if (o.cache === false) env.GREENLETS_NO_CACHE = '1';
  return env;
}

const OWN_DIST = path.join(packageRoot, 'dist').split(path.sep).join('/') + '/';
const SOURCE_FILE = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;

function ownSource(fileName: string, o: ResolvedOptions): string | undefined {
  if (!SOURCE_FILE.test(fileName) || /\.d\.[cm]?ts$/.test(fileName)) return undefined;
  const abs = path.resolve(o.base, fileName).split(path.sep).join('/');
  // Compiled packages (node_modules) and this package's own runtime are never rewritten.
  if (abs.includes('/node_modules/') || abs.startsWith(OWN_DIST)) return undefined;
  return abs;
}

/** A TypeScript file of the project the loader compiles even when include/exclude keep it out of the rewrite. */
export function needsCompile(fileName: string, o: ResolvedOptions): boolean {
  return /\.[cm]?tsx?$/.test(fileName) && ownSource(fileName, o) !== undefined;
}

/** Does the transform rewrite this file (the project's own TypeScript and JavaScript, within include/exclude)? */
export function shouldTransform(fileName: string, o: ResolvedOptions): boolean {
  const abs = ownSource(fileName, o);
  if (abs === undefined) return false;
  const rel = path.relative(o.base, abs).split(path.sep).join('/');
  const hit = (re: RegExp) => {
    re.lastIndex = 0;
    return re.test(abs) || (!rel.startsWith('../') && re.test(rel));
  };
  if (o.include !== null && !o.include.some(hit)) return false;
  return !o.exclude.some(hit);
}
