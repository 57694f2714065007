/** greenlets: gevent's API for TypeScript. Times are in seconds, as in gevent. */
export { Greenlet, GreenletExit, runMain, LINK_TARGET, type LinkTarget, type LinkCallback } from './runtime/greenlet.js';
export { spawn, spawnLater, spawnRaw } from './runtime/spawn.js';
export { sleep, idle } from './runtime/sleep.js';
export {
  iwait,
  wait,
  joinall,
  killall,
  kill,
  waitFor,
  withTimeout,
  type Waitable,
  type WaitObject,
  type WaitOptions,
  type JoinallOptions,
  type KillOptions,
  type WithTimeoutOptions,
} from './runtime/waiting.js';
export { Timeout } from './runtime/timeout.js';
export { getHub, getcurrent, type Hub } from './runtime/hub.js';
export { config, type Config } from './runtime/config.js';
export { formatRunInfo } from './runtime/runinfo.js';
export { LoopExit, BlockingSwitchOutError, ConcurrentObjectUseError, InvalidSwitchError } from './runtime/errors.js';
export {
  GREEN,
  GREEN_ITERATOR,
  green,
  isGreen,
  runPlain,
  type Green,
  type GreenFunction,
  type BlockingIterable,
  type GreenIterator,
} from './runtime/convention.js';
