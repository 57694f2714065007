/**
 * The one bundler plugin (unplugin): greenlets/vite, /rollup, /webpack and /esbuild are its faces. It runs
 * before the bundler's own TypeScript handling, rewrites each of the project's files with its project's
 * whole-program analysis, hands back a chained source map, and reports greenlets' diagnostics through the
 * bundler (errors fail the build). `greenlets…` imports resolve to this copy of greenlets; `./util.js` and
 * `./util` find util.ts for bundlers that do not know TypeScript's conventions (Rollup, webpack).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HmrContext, ModuleNode } from 'vite';
import { createUnplugin, type UnpluginFactory, type UnpluginOptions } from 'unplugin';
import { FileTransformer, fileOfId } from './file-transformer.js';
import { resolveOptions, shouldTransform, type GreenletsOptions } from './options.js';
import { isPackageSpecifier, resolvePackageFile } from './package-info.js';
import { isPathSpecifier, resolveTsStyle } from './ts-resolve.js';
import type { TransformerApi } from '../transformer/index.js';

const PACKAGE_SPECIFIER = /^greenlets(?:\/.*)?$/;

export const unpluginFactory: UnpluginFactory<GreenletsOptions | undefined, false> = (raw, meta) => {
  const options = resolveOptions(raw, `greenlets/${meta.framework}`);
  const files = new FileTransformer(options);
  let tx: TransformerApi | undefined;

  const plugin: UnpluginOptions = {
    name: 'greenlets',
    enforce: 'pre',

    resolveId(id, importer) {
      if (isPackageSpecifier(id)) return resolvePackageFile(id) ?? null;
      const from = importer === undefined ? undefined : fileOfId(importer);
      if (from === undefined || !isPathSpecifier(id) || !/\.[cm]?[jt]sx?$/.test(from)) return null;
      // Only where the name as written is not a file: everything else stays the bundler's business.
      const written = path.resolve(path.dirname(from), id.replace(/[?#].*$/, ''));
      if (fs.existsSync(written) && fs.statSync(written).isFile()) return null;
      return resolveTsStyle(id, from) ?? null;
    },

    transformInclude(id) {
      const file = fileOfId(id);
      return file !== undefined && shouldTransform(file, options);
    },

    async transform(code, id) {
      const file = fileOfId(id)!;
      let r = files.warm(file, code);
      if (r === null) {
        tx ??= (await import('../transformer/index.js')) as TransformerApi;
        r = files.transform(file, code, tx);
      }
      for (const w of r.warnings) this.warn(w);
      if (r.errors.length > 0) this.error(r.errors.join('\n'));
      return { code: r.code, map: r.map === null ? null : JSON.parse(r.map) };
    },

    vite: {
      // A saved file can flip the greenness of functions other files call: those files are transformed again
      // (the session re-analysed the project) and go out with the update, though their own text did not change.
      async handleHotUpdate(ctx: HmrContext) {
        if (!shouldTransform(ctx.file, options)) return undefined;
        tx ??= (await import('../transformer/index.js')) as TransformerApi;
        const others = files.changed(ctx.file, await ctx.read(), tx);
        if (others.length === 0) return undefined;
        const modules: ModuleNode[] = [...ctx.modules];
        for (const f of others) {
          for (const m of ctx.server.moduleGraph.getModulesByFile(f) ?? []) {
            ctx.server.moduleGraph.invalidateModule(m);
            modules.push(m);
          }
        }
        return modules;
      },
    },

    esbuild: {
      // esbuild knows TypeScript's import conventions; unplugin would put what resolveId returns in a namespace
      // of its own, so greenlets' specifiers are resolved in setup() instead.
      onResolveFilter: /^\0greenlets-never$/,
      setup(build) {
        build.onResolve({ filter: PACKAGE_SPECIFIER }, (args) => {
          const file = resolvePackageFile(args.path);
          return file === undefined ? undefined : { path: file };
        });
      },
    },
  };
  return plugin;
};

export const unplugin = createUnplugin(unpluginFactory);
export default unplugin;
export type { GreenletsOptions };
