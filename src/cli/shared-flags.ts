/** Flags several commands share: --patch, --diagnostics, -p/--project. */
import fs from 'node:fs';
import path from 'node:path';
import { OptionsError, parsePatchList, type DiagnosticsLevel, type GreenletsOptions } from '../integrations/options.js';
import { UsageError } from './args.js';

export function patchFlag(flags: Map<string, string | true>, command: string): GreenletsOptions['patch'] | undefined {
  const v = flags.get('patch');
  if (v === undefined) return undefined;
  try {
    return parsePatchList(v);
  } catch (e) {
    throw new UsageError(`greenlets ${command}: --patch: ${(e as Error).message}`);
  }
}

const LEVELS = ['error', 'warning', 'info', 'none'];

export function diagnosticsFlag(flags: Map<string, string | true>, command: string): DiagnosticsLevel | undefined {
  const v = flags.get('diagnostics');
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !LEVELS.includes(v)) {
    throw new UsageError(`greenlets ${command}: --diagnostics takes one of ${LEVELS.join(', ')}`);
  }
  return v as DiagnosticsLevel;
}

/** The tsconfig.json named by -p (a file or a folder), or ./tsconfig.json. */
export function projectFlag(flags: Map<string, string | true>, command: string): string {
  const v = flags.get('project');
  const given = typeof v === 'string' ? v : undefined;
  const p = path.resolve(given ?? '.');
  const tsconfig = fs.existsSync(p) && fs.statSync(p).isDirectory() ? path.join(p, 'tsconfig.json') : p;
  if (!fs.existsSync(tsconfig)) {
    throw new UsageError(
      given === undefined
        ? `greenlets ${command}: cannot find tsconfig.json in ${process.cwd()}; pass -p path/to/tsconfig.json`
        : `greenlets ${command}: cannot find ${given}`,
    );
  }
  return tsconfig;
}

/** Bad options found while starting (an environment variable, a glob): say so, exit code 2. */
export function optionError(e: unknown, command: string): number {
  if (e instanceof OptionsError) {
    process.stderr.write(`greenlets ${command}: ${e.message}\n`);
    return 2;
  }
  throw e;
}
