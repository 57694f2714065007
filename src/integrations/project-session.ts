/**
 * One transformation service per tsconfig project, shared by the loader's files so each file gets the same
 * whole-program decisions as `greenlets build`. Results go to a disk cache keyed by the file, the options and
 * a fingerprint of every source file of the project: a second start with nothing changed never loads the
 * TypeScript compiler at all.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TransformOptions, TransformResult } from '../transformer/api.js';

type TransformerModule = typeof import('../transformer/index.js');

const SOURCE_EXT = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.cache']);

let version = '0';
try {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  version = pkg.version;
} catch {
  // Running from an unusual layout: the cache key just loses the version.
}

/** The nearest tsconfig.json at or above `dir`, or null. */
export function findTsconfig(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return null;
  }
}

/** Path, size and mtime of every source file under the project folder: what the analysis could depend on. */
function fingerprint(root: string): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') && e.name !== '.') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (SOURCE_EXT.test(e.name) || e.name === 'tsconfig.json' || e.name === 'package.json') {
        const st = fs.statSync(p);
        h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  return h.digest('hex');
}

export function cacheDirFor(projectRoot: string): string {
  return process.env.GREENLETS_CACHE_DIR || path.join(projectRoot, 'node_modules', '.cache', 'greenlets');
}

export class ProjectSession {
  readonly root: string;
  private print: string | null = null;
  private transformer: ReturnType<TransformerModule['createProjectTransformer']> | null = null;

  constructor(
    readonly tsconfig: string | null,
    readonly options: TransformOptions,
    readonly useCache = process.env.GREENLETS_NO_CACHE !== '1',
  ) {
    this.root = tsconfig !== null ? path.dirname(tsconfig) : process.cwd();
  }

  private key(fileName: string, source: string): string {
    this.print ??= fingerprint(this.root);
    return crypto
      .createHash('sha256')
      .update(`${version}\0${JSON.stringify(this.options)}\0${this.tsconfig}\0${this.print}\0${fileName}\0`)
      .update(source)
      .digest('hex')
      .slice(0, 40);
  }

  /** The cached result for this file, if the project has not changed since it was made. */
  cached(fileName: string, source: string): TransformResult | null {
    if (!this.useCache) return null;
    try {
      return JSON.parse(fs.readFileSync(path.join(cacheDirFor(this.root), this.key(fileName, source) + '.json'), 'utf8'));
    } catch {
      return null;
    }
  }

  /** Transform with the project's program (or alone when the file is outside it), and cache the result. */
  async transform(fileName: string, source: string): Promise<TransformResult> {
    const hit = this.cached(fileName, source);
    if (hit !== null) return hit;
    const tx: TransformerModule = await import('../transformer/index.js');
    let result: TransformResult;
    if (this.tsconfig !== null) {
      this.transformer ??= tx.createProjectTransformer({ tsconfig: this.tsconfig, options: this.options });
      const inProgram = this.transformer.program.getSourceFile(fileName) !== undefined;
      result = inProgram ? this.transformer.transformFile(fileName) : tx.transform(source, fileName, this.options);
    } else {
      result = tx.transform(source, fileName, this.options);
    }
    // Type errors are `greenlets check`'s business; running reports only what the transform itself found.
    result = { ...result, diagnostics: result.diagnostics.filter((d) => d.code !== 'GL9002') };
    if (this.useCache && !result.diagnostics.some((d) => d.category === 'error')) {
      try {
        const dir = cacheDirFor(this.root);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, this.key(fileName, source) + '.json');
        fs.writeFileSync(file + '.tmp', JSON.stringify(result));
        fs.renameSync(file + '.tmp', file);
      } catch {
        // A read-only project still runs, just without the cache.
      }
    }
    return result;
  }
}

const sessions = new Map<string, ProjectSession>();

export function sessionFor(fileName: string, options: TransformOptions): ProjectSession {
  const tsconfig = options.tsconfig ? path.resolve(options.tsconfig) : findTsconfig(path.dirname(fileName));
  const k = tsconfig ?? '';
  let s = sessions.get(k);
  if (s === undefined) sessions.set(k, (s = new ProjectSession(tsconfig, options)));
  return s;
}

/** JavaScript with its source map inline, as Node's --enable-source-maps reads it. */
export function withInlineMap(result: TransformResult): string {
  if (result.map === null) return result.code;
  const b64 = Buffer.from(result.map).toString('base64');
  return `${result.code.replace(/\n?$/, '\n')}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${b64}\n`;
}
