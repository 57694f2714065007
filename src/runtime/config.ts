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

const maxBlockingTime = envNumber('GREENLETS_MAX_BLOCKING_TIME');

export const config: Config = {
  maxBlockingTime,
  monitorThread: envFlag('GREENLETS_MONITOR_THREAD', maxBlockingTime !== null),
  resolver: envResolver(),
  trackGreenletTree: envFlag('GREENLETS_TRACK_GREENLET_TREE', true),
  trackSpawnSites: envFlag('GREENLETS_TRACK_SPAWN_SITES', false),
};
