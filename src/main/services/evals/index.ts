/**
 * Evaluations (issue 8, in progress): Inspect-compatible scoring (scorers,
 * value mapping, epoch reducers, metrics, multiple-choice prompts) and Inspect
 * `.eval` logs (read and write; `inspectLog.*`, whose types are Inspect's wire
 * format, e.g. its own `Score`), and the chat-completions client a run uses
 * (exact base URL, no redirects, officer-installed CAs, retries, cancel). The
 * runner, storage and UI build on these.
 */
export * from './scoring';
export * from './model-client';
export * as inspectLog from './inspect-log';
