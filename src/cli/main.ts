#!/usr/bin/env node
/** The `greenlets` command: run, build, check (serve later). Exit codes: 0 ok, 1 errors in the program, 2 bad usage. */
import { UsageError } from './args.js';
import { mainHelp, serveHelp } from './help.js';
import { packageVersion } from '../integrations/package-info.js';

async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write(mainHelp);
      return 2;
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(mainHelp);
      return 0;
    case '-v':
    case '--version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'run':
      return (await import('./run.js')).runCommand(rest);
    case 'build':
      return (await import('./build.js')).buildCommand(rest);
    case 'check':
      return (await import('./check.js')).checkCommand(rest);
    case 'serve':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(serveHelp);
        return 0;
      }
      process.stderr.write(
        "greenlets serve: not available yet — it needs the HTTP server (greenlets/http), which this version does not have.\n" +
          "Run a server you wrote with 'greenlets run FILE'.\n",
      );
      return 2;
    default:
      throw new UsageError(
        command.startsWith('-')
          ? `greenlets: unknown option ${command}. Run 'greenlets --help' for the commands.`
          : `greenlets: unknown command '${command}'. The commands are run, build, check and serve; 'greenlets --help' says more.`,
      );
  }
}

let code: number | undefined;
try {
  code = await main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(e.message + '\n');
  code = 2;
}
if (code !== undefined) process.exitCode = code;
