/**
 * `node --import greenlets/register app.ts`: the project's TypeScript and JavaScript files run through the
 * transform, with options from GREENLETS_* variables (PATCH, DIAGNOSTICS, TSCONFIG, INCLUDE, EXCLUDE, NO_CACHE).
 * The entry's project is checked first: errors are printed as tsc prints them and the program does not run.
 */
import fs from 'node:fs';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import { installLoader } from './loader-main.js';
import { traceCheck } from './trace.js';
import { OptionsError, optionsFromEnv, type GreenletsOptions } from './options.js';

let options: GreenletsOptions = {};
try {
  options = optionsFromEnv();
} catch (e) {
  if (!(e instanceof OptionsError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}

let check: Awaited<ReturnType<typeof installLoader>>;
try {
  check = await installLoader(options, process.cwd(), true);
} catch (e) {
  if (!(e instanceof OptionsError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}
const entry = process.argv[1];
if (entry !== undefined && fs.existsSync(entry)) {
  const prepared = await check(entry);
  traceCheck(prepared);
  let errors = 0;
  for (const d of prepared.diagnostics) {
    process.stderr.write(formatDiagnostic(d) + '\n');
    if (d.category === 'error') errors++;
  }
  if (errors > 0) {
    process.stderr.write(`greenlets: ${errors} error${errors === 1 ? '' : 's'}; ${entry} was not run.\n`);
    process.exit(1);
  }
}
