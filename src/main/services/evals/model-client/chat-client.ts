/**
 * The client a run uses to call the engagement's OpenAI-compatible
 * chat-completions endpoint. Node's own http/https (no fetch: it follows
 * redirects and trusts the system CA store by default, both of which the
 * signed-bundle model forbids).
 *
 * - Only `{baseUrl}/chat/completions`; a 3xx is refused, never followed.
 * - https trusts only the officer-installed CA certificates.
 * - Retries 429, 500/502/503/504, dropped or refused connections and per-attempt
 *   timeouts with full-jitter exponential backoff, honouring Retry-After.
 * - An AbortSignal ends the in-flight request or the backoff wait at once.
 * - The API key is only ever the Authorization header: errors carry our own
 *   words, status codes and a sanitised, key-redacted excerpt of the server's
 *   message — never a Node error object, request options or headers.
 */
import http from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AirlockError } from '../../../../shared/errors';
import { assertWithinBase, resolveModelEndpoint } from './endpoint';
import { checkCompletionBody } from './response';
import { abortableSleep, backoffDelay, cancelledError, parseRetryAfter, validateRetryPolicy } from './retry';
import type {
  ChatAttempt,
  ChatClient,
  ChatClientOptions,
  ChatCompletion,
  ChatFailureCode,
  ChatRequest,
  ChatResult,
  ChatUsage,
} from './types';

export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Longest excerpt of a server's error message put into an error. */
const SERVER_MESSAGE_MAX = 300;
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
/** OpenSSL / Node codes that mean the peer's certificate or the TLS handshake was refused. */
const TLS_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

type AttemptOutcome =
  | { ok: true; status: number; completion: ChatCompletion; usage: ChatUsage }
  | {
      ok: false;
      code: ChatFailureCode;
      status: number | null;
      retryable: boolean;
      /** Our short words for what went wrong (never a Node error message). */
      reason: string;
      retryAfterMs?: number;
      serverMessage?: string;
    };

export function createChatClient(options: ChatClientOptions): ChatClient {
  const endpoint = resolveModelEndpoint(options.baseUrl);
  const url = endpoint.chatCompletions;
  const isHttps = url.protocol === 'https:';
  validateRetryPolicy(options.retry);
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new AirlockError('usage', 'The model request timeout must be a positive number of milliseconds.');
  }
  if (typeof options.model !== 'string' || !options.model) {
    throw new AirlockError('model.bad-request', 'The engagement names no model; the model-access bundle must name one.');
  }
  const apiKey = options.apiKey;
  // Header values cannot carry control characters; check here so Node never builds an error around the value.
  if (apiKey !== undefined && (apiKey.length === 0 || !/^[\x21-\x7e]+$/.test(apiKey))) {
    throw new AirlockError(
      'model.bad-credential',
      'The decrypted model credential is empty or contains spaces or control characters, so it cannot be sent as a bearer token. Ask the provider for a new model-access bundle.',
    );
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;

  let agent: http.Agent;
  if (isHttps) {
    const ca = options.caCertificates ?? [];
    if (ca.length === 0) {
      throw new AirlockError(
        'model.tls',
        `The endpoint ${url.origin} uses https but no CA certificate is installed for model endpoints. An officer must install the provider's CA certificate before a run.`,
      );
    }
    ca.forEach((pem, i) => {
      try {
        new X509Certificate(pem);
      } catch {
        throw new AirlockError('model.tls', `CA certificate ${i + 1} installed for model endpoints is not a PEM certificate. An officer must reinstall it.`);
      }
    });
    // `ca` replaces Node's bundled and system roots (and NODE_EXTRA_CA_CERTS) entirely.
    agent = new https.Agent({ keepAlive: true, ca, rejectUnauthorized: true });
  } else {
    agent = new http.Agent({ keepAlive: true });
  }
  let closed = false;

  const headers = (length: number): http.OutgoingHttpHeaders => ({
    'content-type': 'application/json',
    accept: 'application/json',
    'content-length': length,
    'user-agent': 'Airlock',
    ...(apiKey !== undefined ? { authorization: `Bearer ${apiKey}` } : {}),
  });

  /** Server text made safe to show: key redacted, control characters gone, truncated. */
  const sanitise = (text: string): string => {
    let t = text;
    if (apiKey) t = t.split(apiKey).join('[redacted]');
    t = t
      .replace(/bearer\s+\S+/gi, 'Bearer [redacted]')
      .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return t.length > SERVER_MESSAGE_MAX ? `${t.slice(0, SERVER_MESSAGE_MAX)}…` : t;
  };

  const attemptOnce = (body: Buffer, signal: AbortSignal | undefined): Promise<AttemptOutcome> =>
    new Promise<AttemptOutcome>((resolve, reject) => {
      assertWithinBase(url, endpoint);
      let settled = false;
      const transport = isHttps ? https : http;
      const req = transport.request(url, {
        method: 'POST',
        agent,
        headers: headers(body.length),
        ...(isHttps ? { ca: options.caCertificates, rejectUnauthorized: true } : {}),
      });
      const finish = (outcome: AttemptOutcome | null, error?: AirlockError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!outcome?.ok) req.destroy();
        if (error) reject(error);
        else resolve(outcome!);
      };
      const fail = (code: ChatFailureCode, status: number | null, retryable: boolean, reason: string, extra?: Partial<AttemptOutcome>): void =>
        finish({ ok: false, code, status, retryable, reason, ...extra } as AttemptOutcome);
      const onAbort = (): void => finish(null, cancelledError());
      const timer = setTimeout(() => fail('model.timeout', null, true, `no complete answer within ${options.timeoutMs} ms`), options.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      req.on('error', (e: NodeJS.ErrnoException) => {
        const code = typeof e.code === 'string' ? e.code : '';
        if (TLS_ERROR_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
          fail('model.tls', null, false, `certificate or handshake refused: ${code}`);
        } else {
          fail('model.connection', null, true, code ? `connection failed: ${code}` : 'connection failed');
        }
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          const location = typeof res.headers.location === 'string' ? sanitise(res.headers.location) : '';
          fail('model.redirect-refused', status, false, location ? `redirect to ${location}` : 'redirect', location ? { serverMessage: location } : {});
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxResponseBytes) {
          fail('model.bad-response', status, false, `the answer is ${declared} bytes, over the ${maxResponseBytes}-byte limit`);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) fail('model.bad-response', status, false, `the answer is over the ${maxResponseBytes}-byte limit`);
          else chunks.push(chunk);
        });
        res.on('error', () => fail('model.connection', status, true, 'the connection dropped mid-answer'));
        res.on('close', () => {
          if (!res.complete) fail('model.connection', status, true, 'the connection dropped mid-answer');
        });
        res.on('end', () => {
          if (settled) return;
          let text: string;
          try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
          } catch {
            fail('model.bad-response', status, false, 'the answer is not UTF-8 text');
            return;
          }
          finish(classifyResponse(status, res.headers, text));
        });
      });
      req.end(body);
    });

  const classifyResponse = (status: number, h: http.IncomingHttpHeaders, text: string): AttemptOutcome => {
    if (status >= 200 && status < 300) {
      const checked = checkCompletionBody(text);
      if (checked.ok) return { ok: true, status, completion: checked.completion, usage: checked.usage };
      return { ok: false, code: checked.code, status, retryable: false, reason: checked.reason };
    }
    const serverMessage = sanitise(serverErrorText(text));
    const retryAfterMs = parseRetryAfter(h['retry-after'], now());
    const withRetryAfter = retryAfterMs !== undefined ? { retryAfterMs } : {};
    if (status === 429) return { ok: false, code: 'model.rate-limited', status, retryable: true, reason: 'rate limited (429)', serverMessage, ...withRetryAfter };
    if (RETRIED_STATUSES.has(status)) return { ok: false, code: 'model.server-error', status, retryable: true, reason: `server error (${status})`, serverMessage, ...withRetryAfter };
    return { ok: false, code: 'model.http-error', status, retryable: false, reason: `HTTP ${status}`, serverMessage };
  };

  const finalError = (o: Extract<AttemptOutcome, { ok: false }>, attempts: number): AirlockError => {
    const tries = attempts === 1 ? 'the only attempt' : `all ${attempts} attempts`;
    const said = o.serverMessage ? ` The server said: "${o.serverMessage}".` : '';
    const detail = { endpoint: url.href, attempts, status: o.status };
    switch (o.code) {
      case 'model.timeout':
        return new AirlockError(o.code, `The model endpoint did not answer within ${options.timeoutMs} ms on ${tries}. Check that the endpoint is up and reachable from this machine, or raise the request timeout.`, detail);
      case 'model.rate-limited':
        return new AirlockError(o.code, `The model endpoint rate-limited ${tries} (HTTP 429).${said} Lower the run's concurrency or resume the run later.`, detail);
      case 'model.server-error':
        return new AirlockError(o.code, `The model endpoint answered with a server error (HTTP ${o.status}) on ${tries}.${said} Resume the run later, or tell the endpoint's operators.`, detail);
      case 'model.connection':
        return new AirlockError(o.code, `The connection to the model endpoint ${url.origin} failed on ${tries} (${o.reason}). Check that the endpoint is running and reachable from this machine, then resume the run.`, detail);
      case 'model.tls':
        return new AirlockError(o.code, `The model endpoint ${url.origin} was refused at the TLS handshake (${o.reason}). Its certificate must chain to a CA an officer installed for model endpoints and name the host ${url.hostname}; install the provider's CA or ask for a corrected bundle.`, detail);
      case 'model.redirect-refused':
        return new AirlockError(o.code, `The model endpoint answered HTTP ${o.status} (${o.reason}). Airlock only talks to the exact baseUrl in the signed bundle and never follows a redirect; ask the provider for a bundle naming the endpoint's real address.`, detail);
      case 'model.bad-response':
        return new AirlockError(o.code, `The model endpoint's answer is not a usable chat completion (${o.reason}). Check that the engagement's baseUrl is an OpenAI-compatible API; retry the sample if the server was overloaded.`, detail);
      case 'model.no-choices':
        return new AirlockError(o.code, 'The model endpoint answered with a chat completion that has no choices (the server may have filtered or failed the request). Retry the sample, or check the server\'s logs.', detail);
      case 'model.http-error':
        return new AirlockError(o.code, `The model endpoint refused the request with HTTP ${o.status}.${said} ${httpErrorHint(o.status ?? 0)}`, detail);
    }
  };

  return {
    endpoint: url.href,
    close(): void {
      closed = true;
      agent.destroy();
    },
    async complete(request: ChatRequest, opts: { signal?: AbortSignal } = {}): Promise<ChatResult> {
      if (closed) throw new AirlockError('usage', 'This model client was closed; create a new one for the run.');
      const signal = opts.signal;
      const body = Buffer.from(JSON.stringify(buildRequestBody(options.model, request)), 'utf8');
      const startedAt = new Date(now()).toISOString();
      const t0 = performance.now();
      const attempts: ChatAttempt[] = [];
      let waitedMs = 0;
      for (let n = 1; ; n++) {
        if (signal?.aborted) throw cancelledError();
        const attemptStart = performance.now();
        const attemptStartedAt = new Date(now()).toISOString();
        const outcome = await attemptOnce(body, signal);
        const durationMs = performance.now() - attemptStart;
        const record: ChatAttempt = { number: n, startedAt: attemptStartedAt, durationMs, status: outcome.status, outcome: outcome.ok ? 'ok' : outcome.code, delayAfterMs: 0 };
        attempts.push(record);
        if (outcome.ok) {
          return {
            response: outcome.completion,
            attempts,
            usage: outcome.usage,
            timings: { startedAt, totalMs: performance.now() - t0, waitedMs, lastAttemptMs: durationMs },
          };
        }
        record.reason = outcome.code === 'model.redirect-refused' ? `redirect (${outcome.status})` : outcome.reason;
        if (outcome.retryAfterMs !== undefined) record.retryAfterMs = outcome.retryAfterMs;
        if (!outcome.retryable || n >= options.retry.maxAttempts) throw finalError(outcome, n);
        const delay = backoffDelay(options.retry, n, random, outcome.retryAfterMs);
        record.delayAfterMs = delay;
        waitedMs += delay;
        try {
          await sleep(delay, signal);
        } catch (e) {
          if (signal?.aborted) throw cancelledError();
          throw e;
        }
      }
    },
  };
}

/** The OpenAI request body; `model` is the bundle's, unknown caller fields are not passed through. */
export function buildRequestBody(model: string, r: ChatRequest): Record<string, unknown> {
  const bad = (what: string): never => {
    throw new AirlockError('model.bad-request', `The chat request is malformed: ${what}. This is a bug in the task or solver that built it.`);
  };
  if (!r || !Array.isArray(r.messages) || r.messages.length === 0) bad('it has no messages');
  r.messages.forEach((m, i) => {
    if (!m || !['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role)) bad(`message ${i + 1} has no valid role`);
    const c = (m as { content?: unknown }).content;
    if (!(typeof c === 'string' || Array.isArray(c) || (c === null && m.role === 'assistant'))) bad(`message ${i + 1} has no content`);
    if (m.role === 'tool' && typeof m.tool_call_id !== 'string') bad(`tool message ${i + 1} has no tool_call_id`);
  });
  const num = (name: string, v: number | undefined, lo: number, hi: number, int = false): void => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v))) bad(`${name} is out of range`);
  };
  num('temperature', r.temperature, 0, 2);
  num('top_p', r.top_p, 0, 1);
  num('max_tokens', r.max_tokens, 1, 2 ** 31 - 1, true);
  num('seed', r.seed, -(2 ** 63), 2 ** 63, true);
  if (r.stop !== undefined && typeof r.stop !== 'string' && !(Array.isArray(r.stop) && r.stop.every((s) => typeof s === 'string'))) bad('stop is not a string or a list of strings');
  const out: Record<string, unknown> = { model, messages: r.messages };
  for (const k of ['temperature', 'top_p', 'max_tokens', 'seed', 'stop', 'tools', 'tool_choice'] as const) {
    if (r[k] !== undefined) out[k] = r[k];
  }
  return out;
}

/** The human part of an error body: OpenAI's `error.message`, FastAPI's `detail`, or the text itself. */
function serverErrorText(text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const e = j?.error;
    if (e && typeof e === 'object' && typeof (e as Record<string, unknown>).message === 'string') return (e as Record<string, string>).message!;
    if (typeof e === 'string') return e;
    if (typeof j?.message === 'string') return j.message;
    if (typeof j?.detail === 'string') return j.detail;
  } catch {
    // not JSON: show the text
  }
  // Whole text: sanitise() redacts the key before it truncates, so no partial key survives a cut.
  return text;
}

function httpErrorHint(status: number): string {
  if (status === 401 || status === 403) return 'The endpoint did not accept the credential; ask the provider for a new model-access bundle.';
  if (status === 404) return "Check the engagement's baseUrl and model name with the provider.";
  if (status === 400 || status === 413 || status === 422) return "The server refused the request's content or settings; check the task's generation settings (max_tokens, temperature, stop) against what the model allows.";
  return 'A retry will not fix this; act on what the server said, then resume the run.';
}
