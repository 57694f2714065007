/** The runtime's exception types (api.md). Each sets `name` so `String(err)` reads like gevent's. */

/** A blocking function was called where it cannot suspend: from code the transform did not rewrite. */
export class BlockingSwitchOutError extends Error {
  readonly functionName: string;
  constructor(functionName: string, detail?: string) {
    super(
      detail ??
        `${functionName} would block, but it was called from code that cannot suspend (code greenlets did not ` +
          `transform: a plain callback, a getter, a sort comparator, or a module run without the transform). ` +
          `Call it from green code: build with greenlets (greenlets run / build, the loader or a bundler plugin), ` +
          `or spawn a greenlet for it.`,
    );
    this.name = 'BlockingSwitchOutError';
    this.functionName = functionName;
  }
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
