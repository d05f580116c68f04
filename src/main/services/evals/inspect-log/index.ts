/** Inspect `.eval` logs: read (stored/deflate/zstd, legacy fields, attachments, pools), write (deflate), validate. */
export * from './types';
export { parseInspectJson, stringifyInspectJson } from './json';
export { readEvalLog, type EvalLogRead, type ReadEvalLogOptions } from './reader';
export {
  writeEvalLog,
  writeEvalLogToBuffer,
  sampleMemberName,
  type EvalLogWriteInput,
  type EvalLogWriteOptions,
} from './writer';
export { sampleSummary, truncateText, MAX_SUMMARY_TEXT_LENGTH } from './summary';
export { resolveSampleAttachments, resolveEventPools } from './resolve';
export {
  validateEvalLog,
  validateInspectMember,
  assertInspectMember,
  formatProblems,
  type InspectSchemaRoot,
  type SchemaProblem,
  type SchemaResult,
} from './validate';
export { openEvalZip, DEFAULT_EVAL_ZIP_LIMITS, type EvalZip, type EvalZipLimits, type ZipMember } from './zip-reader';
