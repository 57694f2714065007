/**
 * Node module hooks for `greenlets run` and `node --import greenlets/register`. Loaded either off-thread by
 * module.register (Node 20: async hooks; options and the check before the run travel through a MessagePort)
 * or in-thread by module.registerHooks (synchronous hooks, which also see require()).
 *
 * resolve: `greenlets…` → this copy; `./util.js` / `./util` → util.ts when that is the file (TypeScript's
 * conventions). load: the project's .ts/.mts/.cts/.tsx/.js/… files come back transformed, with an inline source
 * map, in the module format Node gives them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import type { GreenletsDiagnostic } from '../transformer/api.js';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import { needsCompile, resolveOptions, shouldTransform, type GreenletsOptions, type ResolvedOptions } from './options.js';
import { isPackageSpecifier, packageRoot, packageVersion, resolvePackageFile } from './package-info.js';
import { findTsconfig, ProjectSession, withInlineMap } from './project-session.js';
import { isPathSpecifier, resolveTsStyle } from './ts-resolve.js';
import type { CachedFile } from './cache.js';
import type { TransformerApi } from '../transformer/index.js';

export interface LoaderData {
  options: GreenletsOptions;
  /** Where relative include/exclude globs are matched from (the working folder of the command). */
  base: string;
  /** Off-thread only: the main thread hands over what its check before the run transformed. */
  port?: MessagePort;
  /** Off-thread only: CommonJS files are left to the main thread's CommonJS loader (load returns no source). */
  sourcelessCommonJs?: boolean;
  /**
   * The entry module, when it is an ES module, ends by emitting MAIN_MODULE_ENDED (src/runtime/hub.ts), as
   * `greenlets run` does after importing it: under `node --import greenlets/register` nothing else sees the main
   * module end, and greenlets still sleeping would hold the process where gevent's program exits.
   */
  markEntryEnd?: boolean;
}

/** What the check before the run found. */
export interface Prepared {
  diagnostics: GreenletsDiagnostic[];
  /** How many files were analysed and transformed now; null when the whole project came from the disk cache. */
  analysed: number | null;
}

/** What an off-thread check (made on the main thread) hands the hooks thread. */
export interface Handoff {
  entry: string;
  files: Record<string, CachedFile>;
  checked: string[] | null;
}

let options: ResolvedOptions = resolveOptions({}, 'greenlets/register');
let session: ProjectSession | undefined;
let tx: TransformerApi | undefined;
let sourcelessCommonJs = false;
let markEntryEnd = false;
/** The entry's real path (Node loads files by their real paths), once the check before the run has named it. */
let entryFile: string | undefined;

export function initialize(data: LoaderData | undefined): void {
  if (data !== undefined) options = resolveOptions(data.options, 'greenlets/register', data.base);
  sourcelessCommonJs = data?.sourcelessCommonJs === true;
  markEntryEnd = data?.markEntryEnd === true;
  const port = data?.port;
  if (port !== undefined) {
    port.on('message', (msg: Handoff) => {
      noteEntry(msg.entry);
      sessionFor(path.resolve(msg.entry)).seed(msg.files, msg.checked);
      port.postMessage('ready');
    });
    port.unref();
  }
}

/** The check's results, for the hooks thread (the main thread made them: see loader-main.ts). */
export function handoff(entry: string): Handoff {
  return { entry, files: session?.exported() ?? {}, checked: session?.checkedList() ?? null };
}

/** Drop the program and the parsed files after the check: this thread does not transform any more. */
export function release(): void {
  session?.release();
}

async function loadTransformer(): Promise<TransformerApi> {
  tx ??= (await import('../transformer/index.js')) as TransformerApi;
  return tx;
}

function loadTransformerSync(): TransformerApi {
  tx ??= createRequire(import.meta.url)('../transformer/index.js') as TransformerApi;
  return tx;
}

/** Files the loader compiles: the project's own sources (TypeScript ones even when excluded from the rewrite). */
function handles(file: string): boolean {
  return shouldTransform(file, options) || needsCompile(file, options);
}

function sessionFor(file: string): ProjectSession {
  if (session === undefined) {
    const tsconfig = options.transform.tsconfig ?? findTsconfig(path.dirname(file));
    session = new ProjectSession({ tsconfig, roots: [file], scope: 'entry' }, options, 'loader');
  }
  return session;
}

/**
 * The check before the run: analyse the entry's project (or take the result from the cache) and return every
 * diagnostic of its files, so errors stop the program before any of it runs.
 */
export async function prepare(entry: string): Promise<Prepared> {
  noteEntry(entry);
  const file = path.resolve(entry);
  if (!handles(file)) return { diagnostics: [], analysed: 0 };
  const s = sessionFor(file);
  const cached = s.cachedDiagnostics();
  if (cached !== null && s.warm(file) !== null) return { diagnostics: cached, analysed: null };
  const diagnostics = s.buildAll(await loadTransformer(), file);
  return { diagnostics, analysed: s.transformedCount() };
}

function noteEntry(entry: string): void {
  if (!markEntryEnd) return;
  try {
    entryFile = fs.realpathSync(entry);
  } catch {
    entryFile = path.resolve(entry);
  }
}

/** `globalThis.process`: the program may declare its own `process` at its top level. */
const ENTRY_END = `\n;globalThis.process.emit('greenlets:main-module-ended');\n`;

/** Diagnostics of files first seen after the check (a dynamic import outside the program). */
function reportLate(file: string, ds: GreenletsDiagnostic[]): void {
  const errors = ds.filter((d) => d.category === 'error');
  const text = ds.map((d) => formatDiagnostic(d)).join('\n');
  if (errors.length > 0) {
    const e = new Error(`greenlets could not transform ${file}:\n${text}`);
    e.name = 'GreenletsTransformError';
    throw e;
  }
  if (text !== '') process.stderr.write(text + '\n');
}

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type ResolveContext = { parentURL?: string; conditions?: string[] };
type Loaded = { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type LoadContext = { format?: string | null; conditions?: string[] };

/** Where this copy's compiled modules live, and the module that loads TypeScript for them (typescript-cjs.ts). */
const OWN_DIST_URL = pathToFileURL(path.join(packageRoot, 'dist')).href + '/';
const TYPESCRIPT_BY_REQUIRE = new URL('./typescript-cjs.js', import.meta.url).href;

function resolveOwn(specifier: string, context: ResolveContext): Resolved | undefined {
  const parent = context.parentURL;
  if (specifier === 'typescript' && parent !== undefined && parent !== TYPESCRIPT_BY_REQUIRE && parent.startsWith(OWN_DIST_URL) && import.meta.url.startsWith(OWN_DIST_URL)) {
    return { url: TYPESCRIPT_BY_REQUIRE, format: 'module', shortCircuit: true };
  }
  if (!isPackageSpecifier(specifier)) return undefined;
  const file = resolvePackageFile(specifier);
  if (file === undefined) {
    const e = new Error(`Cannot find module '${specifier}': this copy of greenlets (${packageVersion()}, ${packageRoot}) does not export it`);
    throw Object.assign(e, { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  }
  return { url: pathToFileURL(file).href, format: 'module', shortCircuit: true };
}

function resolveRetry(e: unknown, specifier: string, context: ResolveContext): Resolved {
  const code = (e as { code?: string }).code;
  const parent = context.parentURL;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && parent?.startsWith('file:') && isPathSpecifier(specifier)) {
    const file = resolveTsStyle(specifier, fileURLToPath(parent));
    if (file !== undefined) return { url: pathToFileURL(file).href, shortCircuit: true };
  }
  throw e;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: (s: string, c: ResolveContext) => Promise<Resolved>,
): Promise<Resolved> {
  const own = resolveOwn(specifier, context);
  if (own !== undefined) return own;
  try {
    return await next(specifier, context);
  } catch (e) {
    return resolveRetry(e, specifier, context);
  }
}

export function resolveSync(specifier: string, context: ResolveContext, next: (s: string, c: ResolveContext) => Resolved): Resolved {
  const own = resolveOwn(specifier, context);
  if (own !== undefined) return own;
  try {
    return next(specifier, context);
  } catch (e) {
    return resolveRetry(e, specifier, context);
  }
}

/** Files whose diagnostics were reported when they were loaded (not by the check before the run). */
const reported = new Set<string>();

function toLoaded(file: string, getTx: () => TransformerApi | undefined): Loaded | undefined {
  const s = sessionFor(file);
  let r = s.warm(file);
  if (r === null) {
    const t = getTx();
    if (t === undefined) return undefined;
    r = s.transform(file, t);
  }
  if (!s.checked(file) && !reported.has(file)) {
    reported.add(file);
    reportLate(file, r.diagnostics);
  }
  if (r.format === 'commonjs' && sourcelessCommonJs) return { format: 'commonjs', shortCircuit: true };
  // Only an ES module entry: a CommonJS one cannot block at its top level and starts its work with spawn().
  if (r.format === 'module' && file === entryFile) r = { ...r, code: r.code.replace(/\n?$/, ENTRY_END) };
  return { format: r.format, source: withInlineMap(r), shortCircuit: true };
}

export async function load(url: string, context: LoadContext, next: (u: string, c: LoadContext) => Promise<Loaded>): Promise<Loaded> {
  if (!url.startsWith('file:')) return next(url, context);
  const file = fileURLToPath(url);
  if (!handles(file)) return next(url, context);
  const warm = toLoaded(file, () => undefined);
  if (warm !== undefined) return warm;
  await loadTransformer();
  return toLoaded(file, () => tx)!;
}

export function loadSync(url: string, context: LoadContext, next: (u: string, c: LoadContext) => Loaded): Loaded {
  if (!url.startsWith('file:')) return next(url, context);
  const file = fileURLToPath(url);
  if (!handles(file)) return next(url, context);
  return toLoaded(file, loadTransformerSync)!;
}
