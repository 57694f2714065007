/** greenlets/event: Event and AsyncResult (gevent.event). */
export * from './runtime/event.js';
