/** `greenlets/rollup`: the greenlets transform as a Rollup plugin (options: patch, include, exclude, diagnostics, tsconfig, sourceMap, cache). */
import { unplugin } from './unplugin.js';

export type { GreenletsOptions } from './options.js';
const greenlets = unplugin.rollup;
export default greenlets;
export { greenlets };
