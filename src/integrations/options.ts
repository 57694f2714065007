/**
 * The options every integration takes (api.md Tooling), and their round trip through the environment so a
 * loader started with `--import greenlets/register` (or a child process) sees what the CLI was given.
 */
import type { PatchOptions, TransformOptions } from '../transformer/api.js';

export const PATCH_NAMES = ['fs', 'net', 'dns', 'childProcess', 'timers', 'fetch', 'http', 'tls', 'select', 'signal'] as const;
export type PatchName = (typeof PATCH_NAMES)[number];

/** `--patch` (everything) or `--patch=fs,net` (those only). */
export function parsePatchList(value: string | true | undefined): boolean | PatchOptions {
  if (value === undefined) return false;
  if (value === true || value === '' || value === 'all') return true;
  const out: PatchOptions = {};
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(PATCH_NAMES as readonly string[]).includes(name)) {
      throw new RangeError(`unknown patch target '${name}'; expected a comma-separated list of ${PATCH_NAMES.join(', ')}`);
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

/** Transform options for the loader, from GREENLETS_* variables. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): TransformOptions {
  const patchRaw = env.GREENLETS_PATCH;
  const diagnostics = env.GREENLETS_DIAGNOSTICS as TransformOptions['diagnostics'] | undefined;
  return {
    patch: patchRaw ? parsePatchList(patchRaw === '1' ? true : patchRaw) : false,
    diagnostics: diagnostics && ['error', 'warning', 'info', 'none'].includes(diagnostics) ? diagnostics : 'warning',
    tsconfig: env.GREENLETS_TSCONFIG || undefined,
  };
}
