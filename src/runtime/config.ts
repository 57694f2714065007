/** Run-time configuration (api.md `config`); every field is also read from a GREENLETS_* variable. */
function envNumber(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new RangeError(`${name}=${JSON.stringify(raw)} is not a non-negative number of seconds`);
  }
  return n;
}

function envFlag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return !/^(0|false|no|off)$/i.test(raw);
}

export type ResolverName = 'thread' | 'ares' | 'block';

export interface Config {
  /** Seconds a greenlet may run without yielding before the monitor reports it; null turns the monitor off. */
  maxBlockingTime: number | null;
  /** Whether a monitor is wanted at all (gevent's monitor_thread); maxBlockingTime implies it. */
  monitorThread: boolean;
  /** Which DNS resolver the green dns/socket modules use. */
  resolver: ResolverName;
  /** Keep each greenlet's spawning greenlet and spawn-tree locals (cheap: one pointer). */
  trackGreenletTree: boolean;
  /** Also record each greenlet's spawn site (file:line) for formatRunInfo and failure reports. Costs a stack
   * capture (~1.5 us) per spawn, so it is off unless asked for. */
  trackSpawnSites: boolean;
}

function envResolver(): ResolverName {
  const raw = process.env.GREENLETS_RESOLVER;
  if (raw === undefined || raw === '') return 'thread';
  if (raw === 'thread' || raw === 'ares' || raw === 'block') return raw;
  throw new RangeError(`GREENLETS_RESOLVER=${JSON.stringify(raw)}: expected thread, ares or block`);
}

/** gevent's default max_blocking_time, used when the monitor is turned on without a limit. */
const DEFAULT_MAX_BLOCKING_TIME = 0.1;

let maxBlockingTime = envNumber('GREENLETS_MAX_BLOCKING_TIME');
let monitorThread = envFlag('GREENLETS_MONITOR_THREAD', maxBlockingTime !== null);
if (monitorThread && maxBlockingTime === null) maxBlockingTime = DEFAULT_MAX_BLOCKING_TIME;

const monitorListeners: Array<() => void> = [];

/** @internal The hub subscribes so that turning the monitor on or off at run time takes effect at its next drain. */
export function onMonitorConfigChange(fn: () => void): void {
  monitorListeners.push(fn);
}

/** Whether the blocking monitor is on: a limit is set and the monitor is wanted. */
export function monitorEnabled(): boolean {
  return monitorThread && maxBlockingTime !== null;
}

function monitorChanged(): void {
  for (const fn of monitorListeners) fn();
}

export const config: Config = {
  // Setting a limit turns the monitor on (null turns it off); turning the monitor on without a limit uses
  // gevent's default of 0.1 seconds.
  get maxBlockingTime(): number | null {
    return maxBlockingTime;
  },
  set maxBlockingTime(value: number | null) {
    if (value !== null && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw new RangeError(`config.maxBlockingTime must be a non-negative number of seconds or null; got ${String(value)}`);
    }
    maxBlockingTime = value;
    monitorThread = value !== null;
    monitorChanged();
  },
  get monitorThread(): boolean {
    return monitorThread;
  },
  set monitorThread(value: boolean) {
    monitorThread = !!value;
    if (monitorThread && maxBlockingTime === null) maxBlockingTime = DEFAULT_MAX_BLOCKING_TIME;
    monitorChanged();
  },
  resolver: envResolver(),
  trackGreenletTree: envFlag('GREENLETS_TRACK_GREENLET_TREE', true),
  trackSpawnSites: envFlag('GREENLETS_TRACK_SPAWN_SITES', false),
};
