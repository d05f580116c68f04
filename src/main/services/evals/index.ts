/**
 * Evaluations (issue 8, in progress): Inspect-compatible scoring (scorers,
 * value mapping, epoch reducers, metrics, multiple-choice prompts) and Inspect
 * `.eval` logs (read and write; `inspectLog.*`, whose types are Inspect's wire
 * format, e.g. its own `Score`). The runner, storage and UI build on these.
 */
export * from './scoring';
export * as inspectLog from './inspect-log';
