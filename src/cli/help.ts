/** The text of `greenlets --help` and of each command's --help. */
export const mainHelp = `greenlets — gevent for TypeScript

Usage: greenlets <command> [options]

Commands:
  run [--patch[=fs,net,...]] FILE [args...]   transform and run a TypeScript program
  build [-p tsconfig.json] [--watch]          whole-program build: JS, .d.ts and source maps, like tsc
  check [-p tsconfig.json] [--explain]        diagnostics only; exit code 1 on errors
  serve FILE --bind HOST:PORT --workers N     (not available yet: needs the HTTP server)

Options:
  -h, --help       this text ('greenlets <command> --help' for a command's options)
  -v, --version    the version of greenlets

Exit codes: 0 success, 1 errors in the program (diagnostics), 2 bad usage (unknown option, missing file).
'greenlets run' exits with the program's own exit code.
`;

export const runHelp = `Usage: greenlets run [options] FILE [args...]

Transforms FILE and every project file it imports (TypeScript or JavaScript) and runs it in this process,
with source-mapped stack traces. Everything after FILE goes to the program (process.argv.slice(2)).
FILE's project is the nearest tsconfig.json; with none, FILE and its imports are analysed with modern
defaults, and 'greenlets' resolves to this copy of greenlets. Transformed files are cached on disk, so a
second start with nothing changed skips the analysis. Errors found by the transform stop the program
before it runs (exit code 1); warnings are printed to stderr.

Options:
  --patch[=LIST]     point node:fs, node:net, ... and fetch at the green modules (gevent's monkey patching);
                     LIST is a comma-separated subset of fs,net,dns,childProcess,timers,fetch,http,tls,select,signal
  -p, --project P    the tsconfig.json to analyse with (default: the nearest to FILE)
  --diagnostics L    lowest severity printed: error, warning (default), info, none
  --no-cache         transform afresh, without reading or writing the disk cache
  -h, --help         this text
`;

export const buildHelp = `Usage: greenlets build [options]

Compiles the project like tsc, with the greenlets transform: one whole-program analysis, then JS, .d.ts
and source maps to the tsconfig's outDir (as its options say). Diagnostics are printed like tsc's.
Exit code 1 if there are errors (type errors included).

Options:
  -p, --project P    tsconfig.json, or the folder holding it (default: ./tsconfig.json)
  --patch[=LIST]     as for 'run'
  --diagnostics L    lowest severity printed: error, warning (default), info, none
  -w, --watch        rebuild when a source file changes
  -h, --help         this text
`;

export const checkHelp = `Usage: greenlets check [options]

Type-checks the project and reports the greenlets diagnostics without writing anything.
Exit code 1 if there are errors.

Options:
  -p, --project P    tsconfig.json, or the folder holding it (default: ./tsconfig.json)
  --explain          list every function made green and why, and the fraction of functions made green
  --patch[=LIST]     as for 'run'
  --diagnostics L    lowest severity printed: error, warning (default), info, none
  -h, --help         this text
`;

export const serveHelp = `Usage: greenlets serve FILE --bind HOST:PORT --workers N

Runs FILE's HTTP app on greenlets/http's HttpServer over node:cluster. Not available yet: it needs the
HTTP server, which is not part of this version. Run a server you wrote with 'greenlets run FILE'.
`;
