/** --help for each command, and bad usage: a clear message naming the problem and exit code 2. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenlets, removeTemp, tempDir, writeFiles } from './support.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('usage');
  writeFiles(dir, { 'ok.ts': 'console.log(1);\n' });
});
afterAll(() => removeTemp(dir));

describe.concurrent('greenlets usage', () => {
  it.each([
    [['--help'], /Usage: greenlets <command>[\s\S]*run[\s\S]*build[\s\S]*check[\s\S]*serve/],
    [['run', '--help'], /Usage: greenlets run \[options\] FILE[\s\S]*--patch\[=LIST\][\s\S]*--no-cache/],
    [['build', '--help'], /Usage: greenlets build[\s\S]*-p, --project[\s\S]*--watch/],
    [['check', '--help'], /Usage: greenlets check[\s\S]*--explain/],
    [['serve', '--help'], /Usage: greenlets serve FILE --bind HOST:PORT --workers N[\s\S]*Not available yet/],
  ])('%j prints its help and exits 0', async (args, text) => {
    const r = await greenlets(args, { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(text);
  });

  it('--version prints the package version', async () => {
    const r = await greenlets(['--version'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['frobnicate'], "greenlets: unknown command 'frobnicate'"],
    [['--frob'], 'greenlets: unknown option --frob'],
    [['run', '--frob', 'ok.ts'], "greenlets run: unknown option --frob. Run 'greenlets run --help' for the options."],
    [['run'], 'greenlets run: missing FILE'],
    [['run', 'missing.ts'], 'greenlets run: cannot find missing.ts'],
    [['run', '.'], 'greenlets run: . is a folder'],
    [['run', '--patch=fs,bogus', 'ok.ts'], "greenlets run: --patch: unknown patch target 'bogus'"],
    [['run', '--diagnostics', 'loud', 'ok.ts'], 'greenlets run: --diagnostics takes one of error, warning, info, none'],
    [['run', '-p', 'nope.json', 'ok.ts'], 'greenlets run: cannot find nope.json'],
    [['build'], 'greenlets build: cannot find tsconfig.json in'],
    [['build', '-p', 'missing/tsconfig.json'], 'greenlets build: cannot find missing/tsconfig.json'],
    [['build', '--watch=yes'], 'greenlets build: option --watch takes no value'],
    [['check', '--explain', 'extra'], 'greenlets check: unexpected argument extra'],
    [['check', '-p'], 'greenlets check: option -p needs a value'],
    [['serve', 'app.ts', '--bind', '127.0.0.1:0'], 'greenlets serve: not available yet'],
    [[], 'Usage: greenlets <command>'],
  ])('%j is refused with exit code 2', async (args, message) => {
    const r = await greenlets(args, { cwd: dir });
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('options after FILE belong to the program, not to greenlets', async () => {
    const r = await greenlets(['run', 'ok.ts', '--frob'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
  });
});
