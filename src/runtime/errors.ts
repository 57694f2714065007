/** The runtime's exception types (api.md). Each sets `name` so `String(err)` reads like gevent's. */

/**
 * A blocking function was called where it cannot suspend: from code the transform did not rewrite. The message
 * names the function, the caller's location (the first frame outside the runtime) and the fix.
 */
export class BlockingSwitchOutError extends Error {
  readonly functionName: string;
  /** file:line:col of the plain code that made the call, when the stack shows it. */
  readonly callerLocation: string | null;
  constructor(functionName: string, detail?: string) {
    super('');
    this.name = 'BlockingSwitchOutError';
    this.functionName = functionName;
    this.callerLocation = detail === undefined ? callerOf(this.stack, functionName) : null;
    const at = this.callerLocation !== null ? `, at ${this.callerLocation}` : '';
    this.message =
      detail ??
      `${functionName || 'An anonymous function'} would block, but it was called from ` +
        `code that cannot suspend${at} (code greenlets did ` +
        `not transform: a plain callback, a getter, a sort comparator, or a module run without the transform). ` +
        `Call it from green code: build with greenlets (greenlets run / build, the loader or a bundler plugin), ` +
        `or spawn a greenlet for it.`;
    // The stack was captured with the empty message: give it the real one.
    const frames = this.stack?.indexOf('\n') ?? -1;
    this.stack = `${this.name}: ${this.message}${frames >= 0 ? this.stack!.slice(frames) : ''}`;
  }
}

// Frames of the runtime (source or built) and of Node, which are not "the caller".
const RUNTIME_FRAME = /[\\/](?:src|dist)[\\/]runtime[\\/]|\(node:|at node:|\(<anonymous>\)/;

function callerOf(stack: string | undefined, functionName: string): string | null {
  if (!stack) return null;
  // The first frame outside the runtime may be the function's own plain wrapper (the transform emits one per
  // green function declaration: `function f() { return runPlain(...) }`); the caller is the frame after it.
  const own = functionName.split('.').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const wrapper = new RegExp(`^\\s*at (?:[\\w$.]+\\.)?${own} \\(`);
  let first = true;
  for (const line of stack.split('\n').slice(1)) {
    if (RUNTIME_FRAME.test(line)) continue;
    if (first) {
      first = false;
      if (own !== '' && wrapper.test(line)) continue;
    }
    const m = /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(line);
    if (m) return m[1].replace(/^file:\/\//, '');
  }
  return null;
}

/** Raised in the main greenlet when it blocks with nothing left that could wake it. */
export class LoopExit extends Error {
  constructor(message = 'This operation would block forever') {
    super(message);
    this.name = 'LoopExit';
  }
}

/** Two greenlets used an object that allows one user at a time (a socket's reader, for example). */
export class ConcurrentObjectUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentObjectUseError';
  }
}

/** A switch that makes no sense: resuming a dead greenlet, or a greenlet waiting on itself. */
export class InvalidSwitchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSwitchError';
  }
}

/**
 * What `kill()` raises inside the victim. Not a failure: a greenlet that ends with it is successful, with the
 * GreenletExit as its value. Deliberately not an Error subclass in spirit (Python's BaseException), but it
 * extends Error so stack traces work; `catch (e) { if (e instanceof GreenletExit) throw e }` lets it pass.
 */
export class GreenletExit extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'GreenletExit';
  }
}
