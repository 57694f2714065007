// Build ENTRY with one bundler and the greenlets plugin, for Node, with source maps:
//   node bundle.mjs esbuild|rollup|vite|webpack ENTRY OUTFILE [OPTIONS_JSON]
// The bundlers are this package's devDependencies; the plugin is imported as a user imports it
// ('greenlets/<bundler>', resolved from the project's node_modules).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [which, entryArg, outArg, optionsJson] = process.argv.slice(2);
const entry = path.resolve(entryArg);
const outfile = path.resolve(outArg);
const options = optionsJson ? JSON.parse(optionsJson) : {};
const own = createRequire(import.meta.url);
const tool = (name) => import(pathToFileURL(own.resolve(name)).href);
const fromProject = createRequire(path.join(process.cwd(), 'package.json'));
const plugin = async () => (await import(pathToFileURL(fromProject.resolve(`greenlets/${which}`)).href)).default(options);
// Rollup without a node-resolve plugin keeps packages external (a Node library build): then greenlets must be
// external too, or the bundle would hold a second copy of the runtime beside the one tasklib imports.
const rollupExternal = (id, _importer, resolved) => id.startsWith('node:') || (!resolved && !id.startsWith('.') && !path.isAbsolute(id));

if (which === 'esbuild') {
  const esbuild = await tool('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    sourcemap: true,
    logLevel: 'warning',
    plugins: [await plugin()],
  });
} else if (which === 'rollup') {
  const { rollup } = await tool('rollup');
  const bundle = await rollup({ input: entry, plugins: [await plugin()], external: rollupExternal, onwarn: (w) => process.stderr.write(`rollup: ${w.message}\n`) });
  await bundle.write({ file: outfile, format: 'es', sourcemap: true });
} else if (which === 'vite') {
  const { build } = await tool('vite');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: process.cwd(),
    plugins: [await plugin()],
    build: {
      ssr: entry,
      outDir: path.dirname(outfile),
      emptyOutDir: false,
      sourcemap: true,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: path.basename(outfile) } },
    },
    ssr: { noExternal: true, external: ['greenlets'] },
  });
} else if (which === 'webpack') {
  const { default: webpack } = await tool('webpack');
  const greenlets = await plugin();
  await new Promise((resolve, reject) =>
    webpack(
      {
        mode: 'none',
        target: 'node',
        entry,
        devtool: 'source-map',
        context: process.cwd(),
        output: { path: path.dirname(outfile), filename: path.basename(outfile) },
        resolve: { extensions: ['.ts', '.js'] },
        plugins: [greenlets],
      },
      (err, stats) => {
        if (err) reject(err);
        else if (stats.hasErrors()) reject(new Error(stats.toString('errors-only')));
        else {
          if (stats.hasWarnings()) process.stderr.write(stats.toString('errors-warnings') + '\n');
          resolve();
        }
      },
    ),
  );
} else {
  throw new Error(`unknown bundler ${which}`);
}
