/**
 * The OpenAI chat-completions wire shapes Airlock sends and accepts, and what
 * the client hands back to the runner. Only the fields a run uses are typed;
 * unknown response fields are kept (passthrough) so a transcript loses nothing.
 */

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatContentPart = { type: 'text'; text: string } | { type: string; [key: string]: unknown };

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ChatContentPart[]; name?: string }
  | { role: 'user'; content: string | ChatContentPart[]; name?: string }
  | { role: 'assistant'; content: string | ChatContentPart[] | null; tool_calls?: ChatToolCall[]; name?: string }
  | { role: 'tool'; content: string | ChatContentPart[]; tool_call_id: string };

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ChatToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** One request; `model` comes from the client (the signed bundle), never from the caller. */
export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string | string[];
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
}

export interface ChatResponseMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: ChatToolCall[];
  /** Reasoning text some servers (vLLM, DeepSeek) return beside the answer. */
  reasoning_content?: string | null;
  [key: string]: unknown;
}

export interface ChatChoice {
  index: number;
  message: ChatResponseMessage;
  finish_reason: string | null;
  [key: string]: unknown;
}

export interface ChatCompletion {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices: ChatChoice[];
  usage?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Token usage normalised from the response's `usage` (null where the server did not say). */
export interface ChatUsage {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  /** `usage.completion_tokens_details.reasoning_tokens` (or a top-level `reasoning_tokens`). */
  reasoningTokens: number | null;
}

/** What happened on one attempt: what a transcript and the run's error counts record. */
export interface ChatAttempt {
  /** 1-based. */
  number: number;
  startedAt: string;
  durationMs: number;
  /** HTTP status, or null when no response arrived (timeout, connection failure). */
  status: number | null;
  /** 'ok', or the error code this attempt would have ended with. */
  outcome: 'ok' | ChatFailureCode;
  /** Airlock's own short words for a failed attempt (e.g. 'rate limited (429)'); never server text or Node messages. */
  reason?: string;
  /** The wait before the next attempt (0 after the last one). */
  delayAfterMs: number;
  /** A Retry-After the server sent, in ms, before capping. */
  retryAfterMs?: number;
}

export interface ChatTimings {
  startedAt: string;
  /** Wall time of the whole call, retries and waits included. */
  totalMs: number;
  /** Sum of the backoff waits. */
  waitedMs: number;
  /** Duration of the attempt that succeeded. */
  lastAttemptMs: number;
}

export interface ChatResult {
  response: ChatCompletion;
  attempts: ChatAttempt[];
  usage: ChatUsage;
  timings: ChatTimings;
}

export type ChatFailureCode =
  | 'model.timeout'
  | 'model.rate-limited'
  | 'model.server-error'
  | 'model.connection'
  | 'model.bad-response'
  | 'model.no-choices'
  | 'model.http-error'
  | 'model.redirect-refused'
  | 'model.tls';

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retries). */
  maxAttempts: number;
  baseDelayMs: number;
  /** Caps both the exponential backoff and a server's Retry-After. */
  maxDelayMs: number;
}

export interface ChatClientOptions {
  /** The exact baseUrl from the signed model-access bundle. */
  baseUrl: string;
  /** The model name from the signed bundle, sent in every request. */
  model: string;
  /** The decrypted credential; sent only as `Authorization: Bearer`. */
  apiKey?: string;
  /** PEM CA certificates an officer installed for model endpoints; the only trust for https. */
  caCertificates?: string[];
  /** Per-attempt limit, from sending the request to the last body byte. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Largest response body accepted (default 16 MiB). */
  maxResponseBytes?: number;
  /** [0, 1) source for the jitter; tests inject a fixed one. */
  random?: () => number;
  /** The backoff wait; must reject promptly when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for Retry-After HTTP-dates (ms since the epoch). */
  now?: () => number;
}

export interface ChatClient {
  readonly endpoint: string;
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResult>;
  /** Closes kept-alive connections; the client is unusable afterwards. */
  close(): void;
}
