/** `greenlets run FILE [args]`: install the loader in this process, check the program, then import it as node would. */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installLoader } from '../integrations/loader-main.js';
import { formatByName } from '../integrations/module-format.js';
import { traceCheck } from '../integrations/trace.js';
import type { GreenletsOptions } from '../integrations/options.js';
import { parseArgs, UsageError } from './args.js';
import { runHelp } from './help.js';
import { plural, printDiagnostics } from './report.js';
import { diagnosticsFlag, optionError, patchFlag } from './shared-flags.js';
import { reportUncaught } from './uncaught.js';

/** Returns an exit code, or undefined once the program has been started (its own exit code then applies). */
export async function runCommand(argv: string[]): Promise<number | undefined> {
  const args = parseArgs(
    'run',
    argv,
    {
      patch: { optionalValue: true },
      project: { value: true, alias: 'p' },
      diagnostics: { value: true },
      'no-cache': {},
      help: { alias: 'h' },
    },
    true,
  );
  if (args.flags.has('help')) {
    process.stdout.write(runHelp);
    return 0;
  }
  const file = args.positionals[0];
  if (file === undefined) throw new UsageError("greenlets run: missing FILE. Usage: greenlets run [options] FILE [args...]");
  const entry = path.resolve(file);
  if (!fs.existsSync(entry)) throw new UsageError(`greenlets run: cannot find ${file}`);
  if (fs.statSync(entry).isDirectory()) throw new UsageError(`greenlets run: ${file} is a folder; give the program's file`);
  const options: GreenletsOptions = {};
  const patch = patchFlag(args.flags, 'run');
  if (patch !== undefined) options.patch = patch;
  const project = args.flags.get('project');
  if (typeof project === 'string') {
    const p = path.resolve(project);
    const tsconfig = fs.existsSync(p) && fs.statSync(p).isDirectory() ? path.join(p, 'tsconfig.json') : p;
    if (!fs.existsSync(tsconfig)) throw new UsageError(`greenlets run: cannot find ${project}`);
    options.tsconfig = tsconfig;
  }
  const level = diagnosticsFlag(args.flags, 'run');
  if (level !== undefined) options.diagnostics = level;
  if (args.flags.has('no-cache')) options.cache = false;

  let check: Awaited<ReturnType<typeof installLoader>>;
  try {
    // The entry announces its own end (markEntryEnd): at the end of its body, before the microtasks that would
    // run the greenlets it left ready (gevent never runs those), where the import's promise settles only later.
    check = await installLoader(options, process.cwd(), true);
  } catch (e) {
    return optionError(e, 'run');
  }
  const prepared = await check(entry);
  traceCheck(prepared);
  const counts = printDiagnostics(prepared.diagnostics, (s) => process.stderr.write(s));
  if (counts.errors > 0) {
    process.stderr.write(`greenlets run: ${plural(counts.errors, 'error')}; ${file} was not run.\n`);
    return 1;
  }
  // The program sees what `node FILE args` would show it.
  process.argv = [process.argv[0]!, entry, ...args.rest];
  try {
    await import(pathToFileURL(entry).href);
  } catch (e) {
    // Node's own report would lead with the runtime's frames (src/cli/uncaught.ts says why it is made here).
    if (reportUncaught(e)) process.exit(1);
    throw e;
  }
  // As in gevent, greenlets still sleeping when the main module ends do not keep the program alive
  // (MAIN_MODULE_ENDED in src/runtime/hub.ts; an event, so it reaches the runtime copy the program loaded).
  // Not for a CommonJS entry: it cannot block at its top level, so `spawn(main)` is how it starts its work.
  // (An entry the loader marked has emitted it already; the hub listens once.)
  if (entryIsModule(entry)) EventEmitter.prototype.emit.call(process, 'greenlets:main-module-ended');
  return undefined;
}

function entryIsModule(entry: string): boolean {
  const byName = formatByName(entry);
  if (byName !== undefined) return byName === 'module';
  // No "type" in package.json: Node goes by the syntax (the loader asks TypeScript; a line test is enough here).
  return /^\s*(?:import|export)\b(?!\s*\()/m.test(fs.readFileSync(entry, 'utf8'));
}
