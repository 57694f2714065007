/** greenlets/queue: gevent.queue for greenlets (Queue, SimpleQueue, JoinableQueue, LifoQueue, PriorityQueue,
 * Channel, and the errors Empty, Full, ShutDown). Times are in seconds. */
export {
  Queue,
  JoinableQueue,
  SimpleQueue,
  LifoQueue,
  type QueueOptions,
  type PutOptions,
  type GetOptions,
  type ShutdownOptions,
} from './runtime/queue.js';
export { PriorityQueue, naturalCompare, type PriorityQueueOptions } from './runtime/priority-queue.js';
export { Channel } from './runtime/channel.js';
export { Empty, Full, ShutDown } from './runtime/queue-errors.js';
