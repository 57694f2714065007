/** `greenlets/webpack`: the greenlets transform as a webpack plugin (options: patch, include, exclude, diagnostics, tsconfig, sourceMap, cache). */
import { unplugin } from './unplugin.js';

export type { GreenletsOptions } from './options.js';
const greenlets = unplugin.webpack;
export default greenlets;
export { greenlets };
