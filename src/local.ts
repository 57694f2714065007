/** greenlets/local: gevent.local for greenlets. `new Local<T>()` is an object whose properties are per greenlet. */
export { Local, type LocalConstructor } from './runtime/local.js';
