/**
 * Vite plugin: `import source from './x.worker.ts?worker-source'` gives the
 * worker's code as a string, bundled with rolldown into one self-contained
 * CommonJS script (node built-ins external, everything else inlined, dynamic
 * imports included). Code starts it with `new Worker(source, { eval: true })`
 * (src/main/services/workers).
 *
 * Why: a worker loaded from a file beside the bundle must be unpacked from
 * app.asar to be readable by a worker thread, which puts it outside ASAR
 * integrity although it decides digests and holds the blob key. As a string
 * inside the main bundle it is covered like the rest of main. The same plugin
 * runs in the app build, the CLI build and vitest, so all three run the same
 * worker code.
 */
import { builtinModules } from 'node:module';
import { rolldown } from 'rolldown';
import type { Plugin } from 'vite';

export const WORKER_SOURCE_QUERY = '?worker-source';
/** Virtual id prefix (\0: other plugins leave the module alone). */
const VIRTUAL = '\0airlock-worker-source:';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Bundles one worker entry into a self-contained CommonJS script. */
export async function bundleWorkerSource(entry: string): Promise<{ code: string; watchFiles: string[] }> {
  const bundle = await rolldown({
    input: entry,
    platform: 'node',
    external: (id) => nodeBuiltins.includes(id),
    // A worker that cannot resolve an import must fail the build, not at run time.
    onLog(level, log, defaultHandler) {
      if (level === 'warn' && log.code === 'UNRESOLVED_IMPORT') defaultHandler('error', log);
      else defaultHandler(level, log);
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'cjs', codeSplitting: false, sourcemap: false, minify: false });
    if (output.length !== 1 || output[0].type !== 'chunk') throw new Error(`worker ${entry} did not bundle into one script`);
    return { code: output[0].code, watchFiles: await bundle.watchFiles };
  } finally {
    await bundle.close();
  }
}

export function inlineWorker(): Plugin {
  return {
    name: 'airlock-inline-worker',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith(WORKER_SOURCE_QUERY)) return null;
      const target = source.slice(0, -WORKER_SOURCE_QUERY.length);
      const resolved = await this.resolve(target, importer, { skipSelf: true });
      if (!resolved || resolved.external) this.error(`Cannot find worker ${target} (imported by ${importer ?? 'the entry'}).`);
      return VIRTUAL + resolved.id;
    },
    async load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const { code, watchFiles } = await bundleWorkerSource(id.slice(VIRTUAL.length));
      for (const f of watchFiles) this.addWatchFile(f);
      return { code: `export default ${JSON.stringify(code)};`, moduleSideEffects: false };
    },
  };
}
