// The main module ends while a greenlet sleeps. gevent exits at once (the greenlet never finishes); in Node the
// hub's timer keeps the process alive, so the greenlet runs to its end (docs/architecture.md).
import { GREEN, spawn, sleep, green } from '../../../dist/index.js';

spawn(green(function* late() {
  yield* sleep[GREEN](0.2);
  console.log('late greenlet ran');
}));
console.log('main module done');
