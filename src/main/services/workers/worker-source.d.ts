/**
 * `import source from './x.ts?worker-source'`: the worker's code as one
 * self-contained script (scripts/vite-inline-worker.mts), started with
 * startInlineWorker().
 */
declare module '*?worker-source' {
  const source: string;
  export default source;
}
