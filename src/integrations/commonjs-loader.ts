/**
 * CommonJS with off-thread hooks (Node 20's module.register). There, require() in a module whose source the
 * hooks supplied resolves with the CommonJS resolver and cannot load ES modules with imports of their own, so
 * the project's CommonJS files are compiled by this thread's CommonJS loader instead: the hooks thread says
 * "commonjs" and hands no source, and the require.extensions entries below compile the transformed text —
 * made by the hooks thread before the run, else read from the disk cache, else transformed here.
 */
import module from 'node:module';
import path from 'node:path';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import { needsCompile, shouldTransform, type ResolvedOptions } from './options.js';
import { isPackageSpecifier, resolvePackageFile } from './package-info.js';
import { findTsconfig, ProjectSession, withInlineMap } from './project-session.js';
import { isPathSpecifier, resolveTsStyle } from './ts-resolve.js';
import type { TransformerApi } from '../transformer/index.js';

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean, options?: unknown) => string;
interface CompilingModule {
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (m: CompilingModule, filename: string) => void;

interface CjsInternals {
  _resolveFilename: ResolveFilename;
  _extensions: Record<string, ExtensionHandler>;
}

const EXTENSIONS = ['.ts', '.cts', '.tsx', '.js', '.cjs', '.jsx'];

export interface CommonJsLoader {
  /** Results the hooks thread made while checking `entry`. */
  prepared(entry: string, files: Record<string, { code: string; map: string | null }>): void;
}

export function installCommonJs(options: ResolvedOptions): CommonJsLoader {
  const Module = module.Module as unknown as CjsInternals;
  const prepared = new Map<string, { code: string; map: string | null }>();
  let entry: string | undefined;
  let session: ProjectSession | undefined;
  let tx: TransformerApi | undefined;

  const originalResolve = Module._resolveFilename;
  // `greenlets…` is this copy; `./util` may name util.ts.
  Module._resolveFilename = function (this: unknown, request, parent, isMain, opts) {
    if (isPackageSpecifier(request)) {
      const file = resolvePackageFile(request);
      if (file !== undefined) return file;
    }
    try {
      return originalResolve.call(this, request, parent, isMain, opts);
    } catch (e) {
      const from = parent?.filename;
      if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' && typeof from === 'string' && isPathSpecifier(request)) {
        const file = resolveTsStyle(request, from);
        if (file !== undefined) return file;
      }
      throw e;
    }
  };

  const transformed = (filename: string): { code: string; map: string | null; format: string } => {
    const hit = prepared.get(filename);
    if (hit !== undefined) return { ...hit, format: 'commonjs' };
    if (session === undefined) {
      const first = entry ?? filename;
      const tsconfig = options.transform.tsconfig ?? findTsconfig(path.dirname(first));
      session = new ProjectSession({ tsconfig, roots: [first], scope: 'entry' }, options, 'loader');
    }
    const warm = session.warm(filename);
    if (warm !== null) return warm;
    if (process.env.GREENLETS_TRACE === '1') process.stderr.write(`greenlets: transforming ${filename} on the main thread\n`);
    tx ??= module.createRequire(import.meta.url)('../transformer/index.js') as TransformerApi;
    const r = session.transform(filename, tx);
    const errors = r.diagnostics.filter((d) => d.category === 'error');
    const text = r.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
    if (errors.length > 0) throw Object.assign(new Error(`greenlets could not transform ${filename}:\n${text}`), { name: 'GreenletsTransformError' });
    if (text !== '') process.stderr.write(text + '\n');
    return r;
  };

  for (const ext of EXTENSIONS) {
    const original = Module._extensions[ext] ?? Module._extensions['.js']!;
    Module._extensions[ext] = function (m, filename) {
      if (!shouldTransform(filename, options) && !needsCompile(filename, options)) {
        original.call(this, m, filename);
        return;
      }
      const r = transformed(filename);
      // An ES module required from CommonJS (require(esm)) loads through the module hooks.
      if (r.format === 'module') original.call(this, m, filename);
      else m._compile(withInlineMap(r), filename);
    };
  }

  return {
    prepared(e, files) {
      entry ??= path.resolve(e);
      for (const [f, r] of Object.entries(files)) prepared.set(f, r);
    },
  };
}
