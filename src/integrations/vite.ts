/** `greenlets/vite`: the greenlets transform as a Vite plugin (options: patch, include, exclude, diagnostics, tsconfig, sourceMap, cache). */
import { unplugin } from './unplugin.js';

export type { GreenletsOptions } from './options.js';
const greenlets = unplugin.vite;
export default greenlets;
export { greenlets };
