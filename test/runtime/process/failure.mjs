// A greenlet fails while main goes on: the hub reports it on stderr; main finishes normally (exit code 0).
import { GREEN, runMain, spawn, sleep, green } from '../../../dist/index.js';

await runMain(function* () {
  const g = spawn(function failingJob() {
    throw new Error('boom in a greenlet'); // line 6
  });
  yield* sleep[GREEN](0.01);
  console.log(`main continues; g.exception: ${g.exception.message}`);
});
