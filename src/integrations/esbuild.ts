/** `greenlets/esbuild`: the greenlets transform as a esbuild plugin (options: patch, include, exclude, diagnostics, tsconfig, sourceMap, cache). */
import { unplugin } from './unplugin.js';

export type { GreenletsOptions } from './options.js';
const greenlets = unplugin.esbuild;
export default greenlets;
export { greenlets };
