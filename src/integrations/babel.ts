/**
 * `greenlets/babel`: for pipelines that compile with Babel. Babel's own parse of a file cannot carry the
 * whole-program decisions, so the plugin hands the file's original text to the project's transform session
 * (the decisions every other path makes), parses the rewritten JavaScript back into the file's program for the
 * rest of the pipeline, and makes the rewrite's source map the file's input map, so Babel's output map points
 * at the original lines. Options as everywhere (patch, include, exclude, diagnostics, tsconfig, cache).
 *
 *   plugins: [['greenlets/babel', { patch: true }]]   // before the presets that strip types
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { FileTransformer } from './file-transformer.js';
import { OptionsError, resolveOptions, shouldTransform, type GreenletsOptions } from './options.js';
import type { TransformerApi } from '../transformer/index.js';

const require = createRequire(import.meta.url);

/** The parts of @babel/core the plugin uses (the `api` Babel passes to plugins carries them). */
interface BabelApi {
  assertVersion(range: number | string): void;
  parseSync?: (code: string, options: Record<string, unknown>) => { program: BabelProgram } | null;
  version: string;
}
interface BabelProgram {
  body: unknown[];
  directives: unknown[];
  sourceType: string;
}
interface BabelPath {
  node: BabelProgram;
  scope: { crawl(): void };
}
interface BabelFile {
  code: string;
  opts: { filename?: string | null; sourceFileName?: string };
  inputMap: { toObject(): unknown } | null;
}
interface PluginPass {
  filename?: string;
  file: BabelFile;
}

let tx: TransformerApi | undefined;
const transformers = new Map<string, FileTransformer>();

function transformerFor(raw: GreenletsOptions | undefined, cwd: string): FileTransformer {
  const key = JSON.stringify(raw ?? {}, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v)) + '\0' + cwd;
  let t = transformers.get(key);
  if (t === undefined) transformers.set(key, (t = new FileTransformer(resolveOptions(raw, 'greenlets/babel', cwd))));
  return t;
}

/** A source map the way Babel's File holds its input map. */
function inputMap(map: unknown): { toObject(): unknown } {
  return { toObject: () => map };
}

/** Our map after the map the file already came with (original → Babel's input → ours). */
function chain(ours: unknown, earlier: unknown): unknown {
  const babelDir = path.dirname(require.resolve('@babel/core/package.json'));
  const remapping = createRequire(path.join(babelDir, 'package.json'))('@jridgewell/remapping') as (maps: unknown[], loader: () => null) => unknown;
  return remapping([ours, earlier], () => null);
}

export default function greenletsBabel(api: BabelApi, raw: GreenletsOptions | undefined, dirname?: string) {
  api.assertVersion(7);
  let files: FileTransformer;
  try {
    files = transformerFor(raw, dirname ?? process.cwd());
  } catch (e) {
    if (e instanceof OptionsError) throw new Error(e.message);
    throw e;
  }
  const parseSync = api.parseSync ?? (require('@babel/core') as { parseSync: NonNullable<BabelApi['parseSync']> }).parseSync;
  return {
    name: 'greenlets',
    visitor: {
      Program(p: BabelPath, state: PluginPass) {
        const filename = state.filename ?? state.file.opts.filename ?? undefined;
        if (filename === undefined || filename === null || !shouldTransform(filename, files.options)) return;
        const source = state.file.code;
        let r = files.warm(filename, source);
        if (r === null) {
          tx ??= require('../transformer/index.js') as TransformerApi;
          r = files.transform(filename, source, tx);
        }
        for (const w of r.warnings) process.stderr.write(w + '\n');
        if (r.errors.length > 0) throw new Error(`greenlets could not transform ${filename}:\n${r.errors.join('\n')}`);
        const parsed = parseSync(r.code, {
          filename,
          sourceType: r.format === 'module' ? 'module' : 'script',
          configFile: false,
          babelrc: false,
          parserOpts: { allowReturnOutsideFunction: r.format === 'commonjs' },
        });
        if (parsed === null) return;
        p.node.body = parsed.program.body;
        p.node.directives = parsed.program.directives;
        p.node.sourceType = parsed.program.sourceType;
        p.scope.crawl();
        if (r.map !== null) {
          const ours = JSON.parse(r.map) as unknown;
          const earlier = state.file.inputMap?.toObject();
          state.file.inputMap = inputMap(earlier === undefined ? ours : chain(ours, earlier));
        }
      },
    },
  };
}
