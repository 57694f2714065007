/** greenlets/pool: gevent.pool — Group, Pool, PoolFull, and the imap iterables. */
export { Group, type GroupJoinOptions, type GroupKillOptions, type AddOptions, type GreenletClass } from './runtime/group.js';
export { Pool, PoolFull } from './runtime/pool.js';
export { IMap, type IMapOptions } from './runtime/imap.js';
