/**
 * The headless backend: everything main does except the Electron glue.
 * Built into out/cli/backend.mjs so the end-to-end harness runs exactly the
 * router and services the app runs (see test/e2e/harness.ts).
 */
export { AirlockServices } from './services/airlock-services';
export type { AirlockServicesOptions } from './services/airlock-services';
export { createHandlers } from './ipc/handlers';
export { IpcRouter } from './ipc/router';
export { createMemoryLogger } from './services/log';
export { RENDERER_CSP, SECURITY_HEADERS, createRendererFileHandler } from './electron/content-security';
