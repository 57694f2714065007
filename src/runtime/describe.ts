/** How greenlets and errors are written in reports (hub errors, formatRunInfo, the monitor). */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Greenlet } from './greenlet.js';

// Frames of the runtime itself, of Node, and the generator-resume frames V8 shows between green callers. The
// runtime is recognised by this package's own folder (src/runtime through source maps, or dist/runtime), so a
// user's project that has a src/runtime folder of its own keeps its frames.
const RUNTIME_FRAME = runtimeFramePattern();

function runtimeFramePattern(): RegExp {
  const own = /^file:/.test(import.meta.url) ? fileURLToPath(import.meta.url) : '';
  const root = own ? dirname(dirname(dirname(own))) : '';
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const dirs = root
    ? `${escaped}[\\\\/](?:src|dist)[\\\\/]runtime[\\\\/]`
    : '[\\\\/](?:src|dist)[\\\\/]runtime[\\\\/]';
  return new RegExp(`${dirs}|\\(node:|at node:|\\.(next|throw|return) \\(<anonymous>\\)`);
}
// The hub's frames that call into a greenlet's own function: the frame above the first of them is its entry.
const ENTRY_CALLER = /\bGreenlet\._(?:startGenerator|switchIn)\b/;
const FRAME = /^\s+at (?:(.+?) \()?((?:file:\/\/)?[^()\s]+:\d+):\d+\)?\s*$/;

function location(line: string): string | null {
  const m = FRAME.exec(line);
  return m ? m[2].replace(/^file:\/\//, '') : null;
}

/** The first frame of a stack outside the runtime, with its column: file (a path or a file: URL), line, column. */
export function firstUserFrame(stack: string): { file: string; line: number; column: number } | null {
  for (const text of stack.split('\n').slice(1)) {
    if (!/^\s+at /.test(text) || RUNTIME_FRAME.test(text)) continue;
    const m = /((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(text);
    if (m) return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
  }
  return null;
}

/** The first frame of a captured stack that is not inside the runtime: where user code spawned or failed. */
export function userFrame(stack: string | undefined): string | null {
  if (!stack) return null;
  for (const line of stack.split('\n').slice(1)) {
    if (RUNTIME_FRAME.test(line)) continue;
    const where = location(line);
    if (where) return where;
  }
  return null;
}

/**
 * Where greenlet `g` was in its own function when `stack` was captured inside it: the user frame just above the
 * hub's call into the greenlet. With a named function the frame must carry that name, so an error that was
 * created in another greenlet (and then thrown into this one) does not lend its location. Null when unknown.
 */
export function entryFrame(g: Greenlet<any>, stack: string | undefined): string | null {
  if (!stack) return null;
  let last: string | null = null;
  for (const line of stack.split('\n').slice(1)) {
    if (ENTRY_CALLER.test(line)) {
      if (last === null) return null;
      const m = FRAME.exec(last);
      const name = g._fn !== null ? g._fn.name : '';
      if (name && m?.[1] !== undefined && lastSegment(m[1]) !== lastSegment(name)) return null;
      return location(last);
    }
    if (!RUNTIME_FRAME.test(line) && location(line) !== null) last = line;
  }
  return null;
}

/** `Class.method`, `Object.method`, `async name` and `name` all end in the same segment. */
function lastSegment(name: string): string {
  return name.split(/[. ]/).pop()!;
}

export function functionName(fn: unknown): string {
  return typeof fn === 'function' && fn.name ? fn.name : '<anonymous>';
}

/** The name of the function a greenlet runs (or ran): `_run` for a subclass that overrides it, as in gevent. */
export function runName(g: Greenlet<any>): string {
  return g._fn !== null ? functionName(g._fn) : (g._x?.runName ?? '_run');
}

/** The spawn site (file:line) when config.trackSpawnSites recorded one. */
export function spawnSite(g: Greenlet<any>): string | null {
  return g._x?.spawnSite ? userFrame(g._x.spawnSite) : null;
}

/**
 * A greenlet as reports name it, after gevent's `<Greenlet "name" at 0x...: fn>` with the address replaced by a
 * source location: `<Greenlet "name" at file:line>` when one is known, else `<Greenlet "name": fn>`.
 */
export function describeGreenlet(g: Greenlet<any>, where: string | null = null): string {
  const kind = kindName(g);
  return where ? `<${kind} "${g.name}" at ${where}>` : `<${kind} "${g.name}": ${runName(g)}>`;
}

/** The class a greenlet is shown as: a subclass by its own name (gevent shows `<Subclass ...>`), the main
 * greenlet as a Greenlet. */
function kindName(g: Greenlet<any>): string {
  const name = (g.constructor as { name?: string }).name;
  return !name || name === 'MainGreenlet' ? 'Greenlet' : name;
}

/**
 * A stack as the user's code would show it without greenlets: V8's generator-resume frames and the runtime's
 * and Node's own frames between and below the user's frames are dropped (GREENLETS_RAW_STACKS=1 keeps them).
 * A stack with no user frame at all is kept whole, since then the runtime frames are all there is to go on.
 */
export function userStack(stack: string): string {
  if (process.env.GREENLETS_RAW_STACKS === '1') return stack;
  const lines = stack.split('\n');
  const kept = lines.filter((l) => !/^\s+at /.test(l) || !RUNTIME_FRAME.test(l));
  return kept.some((l) => /^\s+at /.test(l)) ? kept.join('\n') : stack;
}

export function formatError(error: unknown): string {
  if (error instanceof Error) {
    const stack = error.stack === undefined ? undefined : userStack(error.stack);
    // A stack without frames (Timeout skips the capture) is just its first line; say what it is.
    return stack && stack.includes('\n') ? stack : `${error.name}: ${error.message}`;
  }
  return `${typeof error === 'string' ? JSON.stringify(error) : String(error)} (a thrown non-Error value)`;
}

/**
 * The hub's report of a greenlet that died with an error (api.md): `<Greenlet "name" at file:line> failed with`
 * and the error's stack. The location is where the greenlet's function was when it failed, else its spawn site.
 */
export function formatFailure(g: Greenlet<any>, error: unknown): string {
  const stack = error instanceof Error ? error.stack : undefined;
  const site = g._x?.spawnSite;
  const where = entryFrame(g, stack) ?? spawnSite(g);
  const fn = where !== null && !stack?.includes('\n') ? ` (running ${runName(g)})` : '';
  const spawned = site ? `\n  it was spawned at:\n${userFrames(site)}` : '';
  return `${describeGreenlet(g, where)} failed with ${formatError(error)}${fn}${spawned}\n`;
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
