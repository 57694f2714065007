/** sleep and idle: the two ways a greenlet gives up the loop without waiting on anything. */
import { green } from './convention.js';
import { getHub, RESUME_NONE } from './hub.js';
import { describeValue, type Greenlet } from './greenlet.js';

function wake(g: Greenlet<any>): void {
  getHub().schedule(g);
}

/**
 * Suspend the current greenlet for `seconds` (fractions allowed). `sleep(0)` lets every other ready greenlet
 * run once (round-robin) and then resumes.
 * @blocking
 */
export const sleep: (seconds?: number) => void = green(function* sleep(seconds: number = 0) {
  const hub = getHub();
  const cur = hub.current;
  // Checked first: a string would otherwise be coerced ('1' > 0) and sleep for a second.
  if (typeof seconds !== 'number') throw new TypeError(`sleep() takes a number of seconds; got ${describeValue(seconds)}`);
  if (hub.monitoring) hub.noteSuspend();
  if (!(seconds > 0)) {
    hub.schedule(cur);
    try {
      yield;
    } finally {
      // Thrown into before its turn came (plain call, kill): drop the queued resume so it cannot fire later.
      cur._pending = RESUME_NONE;
    }
    return;
  }
  const t = hub.timers.add(seconds, wake, cur);
  try {
    yield;
  } finally {
    hub.timers.cancel(t);
  }
});

/**
 * Suspend until the hub has nothing else ready to run (gevent's idle()).
 * @blocking
 */
export const idle: () => void = green(function* idle() {
  const hub = getHub();
  const cur = hub.current;
  const fn = () => hub.schedule(cur);
  hub.onIdle(fn);
  if (hub.monitoring) hub.noteSuspend();
  try {
    yield;
  } finally {
    hub.offIdle(fn);
  }
});
