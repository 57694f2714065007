/** greenlets/local: gevent.local for greenlets. `new Local<T>()` is an object whose properties are per greenlet. */
export { Local, type LocalConstructor } from './runtime/local.js';
/** gevent's own spelling (`from gevent.local import local`), for programs ported from it. */
export { Local as local } from './runtime/local.js';
