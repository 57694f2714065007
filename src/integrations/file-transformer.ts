/**
 * The per-file entry of the bundler plugins and the Babel plugin: each file goes to the session of its project
 * (the tsconfig.json the options name, or the nearest one; files with none share one session whose program
 * grows by the files asked for), and its diagnostics come back split into errors and the rest.
 */
import path from 'node:path';
import type { GreenletsDiagnostic } from '../transformer/api.js';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import type { CachedFile } from './cache.js';
import type { ResolvedOptions } from './options.js';
import { findTsconfig, ProjectSession } from './project-session.js';
import type { TransformerApi } from '../transformer/index.js';

export interface FileResult extends CachedFile {
  errors: string[];
  warnings: string[];
}

export class FileTransformer {
  private readonly sessions = new Map<string, ProjectSession>();

  constructor(readonly options: ResolvedOptions) {}

  sessionFor(file: string): ProjectSession {
    const tsconfig = this.options.transform.tsconfig ?? findTsconfig(path.dirname(file));
    const key = tsconfig ?? '';
    let s = this.sessions.get(key);
    if (s === undefined) {
      s = new ProjectSession({ tsconfig, roots: tsconfig === null ? [file] : [] }, this.options, 'bundler');
      this.sessions.set(key, s);
    }
    return s;
  }

  /** The code each file was last handed out with (a dev server keeps it until told the module changed). */
  private readonly served = new Map<string, string>();

  /** The file as served from the cache, or null (the transformer must be loaded). */
  warm(file: string, code: string): FileResult | null {
    const r = this.sessionFor(file).warm(file, code);
    if (r !== null) this.served.set(file, r.code);
    return r === null ? null : split(r);
  }

  transform(file: string, code: string, tx: TransformerApi): FileResult {
    const r = this.sessionFor(file).transform(file, tx, code);
    this.served.set(file, r.code);
    return split(r);
  }

  /**
   * `file` changed to `code` (a dev server saw it saved): transform it again, and return the other files of its
   * project whose output is no longer what was handed out — an exported function that became green (or plain)
   * changes how its callers call it, though the callers' text did not change.
   */
  changed(file: string, code: string, tx: TransformerApi): string[] {
    const s = this.sessionFor(file);
    s.transform(file, tx, code);
    const out: string[] = [];
    for (const [f, now] of s.snapshot()) {
      const before = this.served.get(f);
      if (f !== file && before !== undefined && before !== now) {
        out.push(f);
        this.served.delete(f);
      }
    }
    return out;
  }
}

function split(r: CachedFile): FileResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const d of r.diagnostics as GreenletsDiagnostic[]) (d.category === 'error' ? errors : warnings).push(formatDiagnostic(d));
  return { ...r, errors, warnings };
}

/** A bundler id without its query or hash (`/src/a.ts?v=12`), or undefined for virtual modules. */
export function fileOfId(id: string): string | undefined {
  if (id.startsWith('\0') || id.startsWith('virtual:')) return undefined;
  const clean = id.replace(/[?#].*$/, '');
  return path.isAbsolute(clean) ? clean : undefined;
}
