export { verifyBundle, verifyBundleDetailed } from './verify';
export type { TrustAnchorInput, SeriesState, VerifyOptions, FileSink, SinkTarget, StagedFile, VerifyProgress, DetailedResult } from './verify';
export { readPemOrDer, summarizeCertificate, parseCertificate, parseCrl, isCrlDer } from './pki';
export { parseMetadata, referencedPaths, summarizeMetadata, BUNDLE_FORMAT, bundleMetadataSchema } from './metadata';
export type { BundleMetadata, ModelAccessMetadata, EvalPackageMetadata, ResultMetadata } from './metadata';
export { parseSums } from './sums';
export { pathProblem } from './paths';
export { parseStrictJson } from './json-strict';
