/** The text of `greenlets --help` and of each command's --help. */
export const mainHelp = `greenlets — gevent for TypeScript

Usage: greenlets <command> [options]

Commands:
  run [--patch[=fs,net,...]] FILE [args...]   transform and run a TypeScript program
  build [-p tsconfig.json] [--watch]          whole-program build: JS, .d.ts and source maps
  check [-p tsconfig.json] [--explain]        diagnostics only; exit code 1 on errors

Run 'greenlets <command> --help' for a command's options.
`;

export const runHelp = `Usage: greenlets run [options] FILE [args...]

Transforms FILE and everything it imports from the project on the fly (with a disk cache) and runs it.
Everything after FILE is passed to the program as process.argv.slice(2).

Options:
  --patch[=LIST]     point node:fs, node:net, ... and fetch at the green modules (gevent's monkey patching);
                     LIST is a comma-separated subset: fs,net,dns,childProcess,timers,fetch,http,tls,select,signal
  -p, --project P    tsconfig.json to analyse with (default: the nearest to FILE)
  --no-cache         transform afresh, ignoring and not writing the disk cache
  -h, --help         this text
`;

export const buildHelp = `Usage: greenlets build [options]

Compiles the project like tsc, with the greenlets transform: emits JS, .d.ts and source maps to the
tsconfig's outDir. Exit code 1 if there are errors.

Options:
  -p, --project P    tsconfig.json (default: ./tsconfig.json)
  --patch[=LIST]     as for 'run'
  -w, --watch        rebuild when a source file changes
  -h, --help         this text
`;

export const checkHelp = `Usage: greenlets check [options]

Type-checks the project and reports the greenlets diagnostics without emitting anything.
Exit code 1 if there are errors.

Options:
  -p, --project P    tsconfig.json (default: ./tsconfig.json)
  --explain          list every function made green and why
  --patch[=LIST]     as for 'run'
  -h, --help         this text
`;
