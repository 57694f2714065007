/** Command-line parsing for `greenlets`: each command declares its flags; anything else is a usage error. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** Takes a value (`-p tsconfig.json`, `--bind=host:port`). */
  value?: boolean;
  /** The value is optional (`--patch` or `--patch=fs,net`). */
  optionalValue?: boolean;
  alias?: string;
}

export interface Parsed {
  flags: Map<string, string | true>;
  positionals: string[];
  /** Everything after the script file (for `run`), passed to the program untouched. */
  rest: string[];
}

/**
 * Parse `argv` against `spec`. With `stopAtFirstPositional`, the first positional (the script) ends option
 * parsing, so `greenlets run app.ts --verbose` hands `--verbose` to app.ts, as `node app.ts --verbose` would.
 */
export function parseArgs(
  command: string,
  argv: string[],
  spec: Record<string, FlagSpec>,
  stopAtFirstPositional = false,
): Parsed {
  const byAlias = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.alias) byAlias.set(s.alias, name);
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1, stopAtFirstPositional ? i + 2 : undefined));
      return { flags, positionals, rest: stopAtFirstPositional ? argv.slice(i + 2) : [] };
    }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const rawName = eq >= 0 ? arg.slice(0, eq) : arg;
      const name = rawName.startsWith('--') ? rawName.slice(2) : byAlias.get(rawName.slice(1)) ?? rawName.slice(1);
      const s = spec[name];
      if (s === undefined || (!rawName.startsWith('--') && s.alias !== rawName.slice(1))) {
        throw new UsageError(`greenlets ${command}: unknown option ${rawName}. Run 'greenlets ${command} --help' for the options.`);
      }
      if (eq >= 0) {
        if (!s.value && !s.optionalValue) throw new UsageError(`greenlets ${command}: option ${rawName} takes no value`);
        flags.set(name, arg.slice(eq + 1));
      } else if (s.value) {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`greenlets ${command}: option ${rawName} needs a value`);
        flags.set(name, v);
      } else {
        flags.set(name, true);
      }
      continue;
    }
    positionals.push(arg);
    if (stopAtFirstPositional) return { flags, positionals, rest: argv.slice(i + 1) };
  }
  return { flags, positionals, rest: [] };
}
