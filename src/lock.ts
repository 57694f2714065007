/** greenlets/lock: Semaphore, BoundedSemaphore, Lock, DummySemaphore, RLock (gevent.lock). */
export * from './runtime/lock.js';
export * from './runtime/rlock.js';
