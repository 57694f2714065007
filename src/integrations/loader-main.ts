/**
 * Installing the module hooks from the main thread (shared by `greenlets run` and greenlets/register):
 * module.registerHooks where Node has it, module.register (hooks on their own thread) otherwise. Then the
 * check before the run, on this thread: the entry and what it imports are analysed (or read from the cache), the
 * diagnostics of the files it loads come back, and the hooks get the transformed files.
 * Off-thread, CommonJS files are compiled by this thread's CommonJS loader (commonjs-loader.ts), the only
 * place where their require() resolves and loads completely on Node 20.
 */
import module from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import type { LoaderData, Prepared } from './loader-hooks.js';
import { installCommonJs } from './commonjs-loader.js';
import { resolveOptions, type GreenletsOptions } from './options.js';

interface SyncHooksApi {
  registerHooks?: (hooks: { resolve?: unknown; load?: unknown }) => unknown;
}

let installed: ((entry: string) => Promise<Prepared>) | undefined;

export type { Prepared };

/** Install the hooks once per process; returns the function that checks an entry before it runs. */
/** `markEntryEnd`: the entry module announces its own end (LoaderData.markEntryEnd; greenlets/register). */
export async function installLoader(options: GreenletsOptions, base = process.cwd(), markEntryEnd = false): Promise<(entry: string) => Promise<Prepared>> {
  if (installed !== undefined) return installed;
  process.setSourceMapsEnabled(true);
  const registerHooks = (module as unknown as SyncHooksApi).registerHooks;
  if (typeof registerHooks === 'function' && process.env.GREENLETS_ASYNC_HOOKS !== '1') {
    const hooks = await import('./loader-hooks.js');
    hooks.initialize({ options, base, markEntryEnd });
    registerHooks({ resolve: hooks.resolveSync, load: hooks.loadSync });
    installed = (entry) => hooks.prepare(entry);
    return installed;
  }
  const cjs = installCommonJs(resolveOptions(options, 'greenlets/register', base));
  const { port1, port2 } = new MessageChannel();
  const data: LoaderData = { options, base, port: port2, sourcelessCommonJs: true, markEntryEnd };
  module.register('./loader-hooks.js', { parentURL: import.meta.url, data, transferList: [port2] });
  // The check runs on this thread, where the hooks just registered apply to its own imports too: the
  // transformer's TypeScript then loads by require() (typescript-cjs.ts), which the hooks thread cannot do.
  const hooks = await import('./loader-hooks.js');
  hooks.initialize({ options, base });
  installed = async (entry) => {
    const prepared = await hooks.prepare(entry);
    const handoff = hooks.handoff(entry);
    hooks.release();
    await new Promise<void>((resolve) => {
      port1.once('message', () => {
        port1.unref();
        resolve();
      });
      port1.ref();
      port1.postMessage(handoff);
    });
    const commonjs: Record<string, { code: string; map: string | null }> = {};
    for (const [f, r] of Object.entries(handoff.files)) if (r.format === 'commonjs') commonjs[f] = { code: r.code, map: r.map };
    cjs.prepared(entry, commonjs);
    return prepared;
  };
  port1.unref();
  return installed;
}

