/** How greenlets and errors are written in reports (hub errors, formatRunInfo, the monitor). */
import type { Greenlet } from './greenlet.js';

// Frames of the runtime itself, of Node, and the generator-resume frames V8 shows between green callers.
const RUNTIME_FRAME =
  /[\\/]src[\\/]runtime[\\/]|[\\/]dist[\\/]runtime[\\/]|\(node:|at node:|\.(next|throw|return) \(<anonymous>\)/;

/** The first frame of a captured stack that is not inside the runtime: where user code spawned or failed. */
export function userFrame(stack: string | undefined): string | null {
  if (!stack) return null;
  for (const line of stack.split('\n').slice(1)) {
    if (RUNTIME_FRAME.test(line)) continue;
    const m = /\(?((?:file:\/\/)?[^()\s]+:\d+):\d+\)?\s*$/.exec(line);
    if (m) return m[1].replace(/^file:\/\//, '');
  }
  return null;
}

export function functionName(fn: unknown): string {
  return typeof fn === 'function' && fn.name ? fn.name : '<anonymous>';
}

/** The name of the function a greenlet runs (or ran): `_run` for a subclass that overrides it, as in gevent. */
export function runName(g: Greenlet<any>): string {
  return g._fn !== null ? functionName(g._fn) : (g._x?.runName ?? '_run');
}

export function describeGreenlet(g: Greenlet<any>): string {
  const where = g._x?.spawnSite ? userFrame(g._x.spawnSite) : null;
  return `<Greenlet "${g.name}" ${runName(g)}${where ? ` at ${where}` : ''}>`;
}

export function formatError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `${typeof error === 'string' ? JSON.stringify(error) : String(error)} (a thrown non-Error value)`;
}

/** The frames of a captured stack outside the runtime (at most `max`), indented for a report. */
export function userFrames(stack: string | undefined, max = 8): string {
  if (!stack) return '';
  const frames = stack
    .split('\n')
    .slice(1)
    .filter((l) => /^\s+at /.test(l) && !RUNTIME_FRAME.test(l))
    .slice(0, max);
  return frames.map((l) => `    ${l.trim()}`).join('\n');
}
