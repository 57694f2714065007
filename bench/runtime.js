// `npm run bench` runs bench/runtime.js; the suite lives in runtime.mjs (plain ESM either way). Delete this
// shim once package.json's bench script runs `node bench/runtime.mjs` directly.
import './runtime.mjs';
