/**
 * How `greenlets run` reports an error that the program's main module ends with: as Node reports an uncaught
 * error (the source line of the first frame with a caret, the error as util.inspect shows it, Node's version),
 * with the runtime's own frames dropped so that the user's frames come first.
 *
 * Why the header is made here: Node takes it from the location of V8's captured frames, which an error keeps
 * only until its stack is first formatted — reading or assigning `error.stack` discards them, and Node then
 * points the header at its own rethrow (node:internal/modules/run_main). A stack with the runtime's frames
 * dropped must be assigned, and an error thrown from green code has the runtime's frames on top (runPlain, a
 * primitive), so Node's header would name Node's internals or the runtime either way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { firstUserFrame, userStack } from '../runtime/describe.js';

/** This package's own code (dist/ and src/ of its root): its frames are never the header's. */
const OWN_CODE = (() => {
  const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
  return [path.join(root, 'dist') + path.sep, path.join(root, 'src') + path.sep];
})();

/**
 * Write the report of `error` to stderr and return true; false (nothing written) when Node's own handling must
 * apply: a value that is not an Error, a program listening for 'uncaughtException', or a stack with no frame
 * of the program's own.
 */
export function reportUncaught(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (process.listenerCount('uncaughtException') > 0 || process.listenerCount('uncaughtExceptionMonitor') > 0) return false;
  const stack = error.stack;
  if (typeof stack !== 'string') return false;
  // the loader's frames (a CommonJS entry is compiled through dist/integrations) go with the runtime's
  const clean = userStack(stack)
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) || !OWN_CODE.some((dir) => l.includes(dir) || l.includes(pathToFileURL(dir).href)))
    .join('\n');
  const frame = firstUserFrame(clean);
  if (frame === null) return false;
  const file = frame.file.startsWith('file://') ? fileURLToPath(frame.file) : frame.file;
  if (OWN_CODE.some((dir) => file.startsWith(dir))) return false;
  if (clean !== stack) {
    try {
      error.stack = clean;
    } catch {
      // a frozen error keeps its stack
    }
  }
  fs.writeSync(2, `${sourceExcerpt(frame.file, file, frame.line, frame.column)}${inspect(error)}\n\nNode.js ${process.version}\n`);
  return true;
}

/** Node's header: `file:line`, the line itself, a caret under the column, a blank line ('' if unreadable). */
function sourceExcerpt(shown: string, file: string, line: number, column: number): string {
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8').split(/\r?\n/)[line - 1];
  } catch {
    return '';
  }
  if (text === undefined) return '';
  return `${shown}:${line}\n${text}\n${' '.repeat(Math.max(0, column - 1))}^\n\n`;
}
