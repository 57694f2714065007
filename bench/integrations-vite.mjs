// Per-file transform time of the greenlets Vite plugin: a Vite SSR build of PROJECT/src/main.ts with the plugin's
// transform hook timed around each call. Prints one JSON line: { files, times: [ms, ...] } (in call order).
//   node bench/integrations-vite.mjs PROJECT OUTDIR
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [projectArg, outArg] = process.argv.slice(2);
const project = path.resolve(projectArg);
const own = createRequire(import.meta.url);
const { build } = await import(pathToFileURL(own.resolve('vite')).href);
const { default: greenlets } = await import(pathToFileURL(path.join(path.dirname(own.resolve('../package.json')), 'dist', 'integrations', 'vite.js')).href);

const times = [];
const plugin = greenlets();
const hook = plugin.transform;
const handler = typeof hook === 'function' ? hook : hook.handler;
const timed = async function (code, id, ...rest) {
  const t0 = performance.now();
  const result = await handler.call(this, code, id, ...rest);
  // Only the calls that transformed a file (the plugin's filter passes the project's own files).
  if (result != null) times.push(performance.now() - t0);
  return result;
};
plugin.transform = typeof hook === 'function' ? timed : { ...hook, handler: timed };

process.chdir(project);
await build({
  configFile: false,
  logLevel: 'silent',
  root: project,
  plugins: [plugin],
  build: { ssr: path.join(project, 'src', 'main.ts'), outDir: path.resolve(outArg), emptyOutDir: true, minify: false, sourcemap: true },
  ssr: { noExternal: true },
});
console.log(JSON.stringify({ files: times.length, times }));
