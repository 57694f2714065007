/** sleep and idle: the two ways a greenlet gives up the loop without waiting on anything. */
import { GREEN, green, runPlain, type Green } from './convention.js';
import { getHub, RESUME_NEXT, RESUME_NONE } from './hub.js';
import { describeValue, type Greenlet } from './greenlet.js';

function wake(g: Greenlet<any>): void {
  getHub().schedule(g);
}

/** The resume value of a greenlet whose sleep(0) turn has come. */
const TURN: unique symbol = Symbol('greenlets.sleep0') as never;
const SUSPEND: IteratorYieldResult<undefined> = Object.freeze({ done: false, value: undefined });
const RESUMED: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * sleep(0)'s suspension: one iterator shared by every greenlet, so the most frequent switch allocates nothing
 * (a generator per call would be the largest cost of it). `yield*` calls next() once to start, which queues the
 * current greenlet at the tail of the ready queue with TURN and suspends; the hub resumes it with next(TURN),
 * which ends the sleep. Any other first value is a fresh call. throw() (kill, Timeout, BlockingSwitchOutError
 * when called plainly) withdraws the queued turn if it is still ours, and lets the error through.
 */
const turn: Iterator<undefined, undefined, unknown> & Iterable<undefined> = {
  [Symbol.iterator]() {
    return this;
  },
  next(value?: unknown): IteratorResult<undefined, undefined> {
    if (value === TURN) return RESUMED;
    const hub = getHub();
    if (hub.monitoring) hub.noteSuspend();
    hub.schedule(hub.current, TURN);
    return SUSPEND;
  },
  throw(error: unknown): never {
    withdrawTurn(getHub().current);
    throw error;
  },
  return(value?: unknown): IteratorResult<undefined, undefined> {
    withdrawTurn(getHub().current);
    return { done: true, value: value as undefined };
  },
};

/** Drop a queued sleep(0) turn that never came (the ring's entry is then skipped); a resume queued by someone
 * else (plain code in a hub callback while main waits) is left alone. */
function withdrawTurn(g: Greenlet<any>): void {
  if (g._pending === RESUME_NEXT && g._resume === TURN) {
    g._pending = RESUME_NONE;
    g._resume = undefined;
  }
}

function* sleepFor(seconds: number): Green<void> {
  const hub = getHub();
  const t = hub.timers.add(seconds, wake, hub.current);
  if (hub.monitoring) hub.noteSuspend();
  try {
    yield;
  } finally {
    hub.timers.cancel(t);
  }
}

/** The generator form (any iterator works with `yield*`): the shared turn for 0, a timed sleep otherwise. */
function sleepGreen(seconds: number = 0): Green<void> {
  // Checked first: a string would otherwise be coerced ('1' > 0) and sleep for a second.
  if (typeof seconds !== 'number') throw new TypeError(`sleep() takes a number of seconds; got ${describeValue(seconds)}`);
  return (seconds > 0 ? sleepFor(seconds) : turn) as Green<void>;
}

/**
 * Suspend the current greenlet for `seconds` (fractions allowed). `sleep(0)` lets every other ready greenlet
 * run once (round-robin) and then resumes.
 * @blocking
 */
export const sleep: (seconds?: number) => void = Object.defineProperty(
  function sleep(seconds?: number): void {
    runPlain(sleepGreen(seconds), 'sleep');
  },
  GREEN,
  { value: sleepGreen, enumerable: false, writable: false, configurable: false },
);

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
