/**
 * How a greenlet waiting in the ready queue will be resumed (`Greenlet._pending`). A leaf module: greenlet.ts
 * and hub.ts import each other, and greenlet.ts builds a Greenlet while it is evaluated, which must not need
 * hub.ts to have finished (an entry such as greenlets/event reaches hub.ts first).
 */
export const RESUME_NONE = 0;
export const RESUME_NEXT = 1;
export const RESUME_THROW = 2;
/** A dead greenlet queued to notify its links. */
export const RESUME_LINKS = 3;
/** A dead greenlet: nothing can be queued for it any more. */
export const RESUME_DEAD = 4;
