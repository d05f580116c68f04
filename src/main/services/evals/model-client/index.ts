/**
 * The engagement's OpenAI-compatible chat-completions endpoint, as a run uses
 * it: the exact signed baseUrl only, officer-installed CAs only, retries with
 * backoff, cancel, and a credential that never leaves the Authorization header.
 */
export { createChatClient, buildRequestBody, DEFAULT_MAX_RESPONSE_BYTES } from './chat-client';
export { resolveModelEndpoint, isWithinBase, type ModelEndpoint } from './endpoint';
export { parseRetryAfter, backoffDelay } from './retry';
export { checkCompletionBody } from './response';
export type * from './types';
