import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  backoffDelay,
  createChatClient,
  isWithinBase,
  parseRetryAfter,
  resolveModelEndpoint,
  type ChatClient,
  type ChatClientOptions,
  type ChatRequest,
} from '../../../../src/main/services/evals/model-client';
import { AirlockError } from '../../../../src/shared/errors';
import { completionBody, dropMidBody, hang, json, ok, startScriptedServer, type ScriptedServer } from './scripted-server';
import { rejection } from '../../../helpers/errors';

const API_KEY = 'sk-airlock-test-5f3c9e1d7a2b4c6e8f0a';
const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: 'What is the capital of France?' },
  ],
  temperature: 0.5,
  top_p: 0.9,
  max_tokens: 64,
  seed: 42,
  stop: ['\n\n'],
};

let server: ScriptedServer;
let clients: ChatClient[] = [];
let delays: number[] = [];

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
  delays = [];
  server.requests.length = 0;
});

/** A client on the test server's /v1 with a recording, instant sleep and a fixed jitter of 0.5. */
function client(over: Partial<ChatClientOptions> = {}): ChatClient {
  const c = createChatClient({
    baseUrl: `${server.url}/v1`,
    model: 'test-model',
    apiKey: API_KEY,
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 },
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...over,
  });
  clients.push(c);
  return c;
}

const failure = rejection;

/** Every way the error could reach a log or the renderer must be free of the key. */
function expectNoKey(value: unknown): void {
  const forms = [
    JSON.stringify(value),
    inspect(value, { depth: 20, showHidden: true, getters: true }),
    String(value),
    value instanceof Error ? `${value.stack}` : '',
  ];
  for (const f of forms) {
    expect(f).not.toContain(API_KEY);
    expect(f).not.toContain(API_KEY.slice(3, 20));
  }
}

describe('chat client: success', () => {
  it('posts the OpenAI request to {baseUrl}/chat/completions with the bearer key and returns a typed completion', async () => {
    server.script(ok('Paris'));
    const result = await client().complete(request);
    expect(result.response.choices[0]!.message).toEqual({ role: 'assistant', content: 'Paris' });
    expect(result.response.choices[0]!.finish_reason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 3, totalTokens: 15, reasoningTokens: 1 });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ number: 1, status: 200, outcome: 'ok', delayAfterMs: 0 });
    expect(result.timings.totalMs).toBeGreaterThan(0);
    expect(result.timings.waitedMs).toBe(0);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({ model: 'test-model', ...request });
    expectNoKey(result);
  });

  it('sends no Authorization header without a key, and passes tools and tool_choice through', async () => {
    server.script(
      json(200, {
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'add', arguments: '{"a":1}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
      }),
    );
    const tools = [{ type: 'function' as const, function: { name: 'add', parameters: { type: 'object' } } }];
    const r = await client({ apiKey: undefined }).complete({ messages: [{ role: 'user', content: 'add' }], tools, tool_choice: 'auto' });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ tools, tool_choice: 'auto' });
    expect(r.response.choices[0]!.message.tool_calls?.[0]?.function.name).toBe('add');
    expect(r.response.choices[0]!.message.content).toBeNull();
    expect(r.usage).toEqual({ promptTokens: null, completionTokens: null, totalTokens: null, reasoningTokens: null });
  });

  it('refuses a malformed request before sending anything', async () => {
    const c = client();
    expect((await failure(c.complete({ messages: [] }))).code).toBe('model.bad-request');
    expect((await failure(c.complete({ ...request, temperature: 7 }))).code).toBe('model.bad-request');
    expect((await failure(c.complete({ ...request, max_tokens: 1.5 }))).code).toBe('model.bad-request');
    expect(server.requests).toHaveLength(0);
  });
});

describe('chat client: retries', () => {
  it('honours Retry-After in seconds on a 429, then succeeds', async () => {
    server.script(json(429, { error: { message: 'slow down' } }, { 'retry-after': '2' }), ok());
    const r = await client().complete(request);
    expect(delays).toEqual([2_000]);
    expect(r.attempts.map((a) => [a.status, a.outcome, a.delayAfterMs, a.retryAfterMs])).toEqual([
      [429, 'model.rate-limited', 2_000, 2_000],
      [200, 'ok', 0, undefined],
    ]);
    expect(r.timings.waitedMs).toBe(2_000);
    expect(server.requests).toHaveLength(2);
  });

  it('honours a Retry-After HTTP-date, and caps any Retry-After at maxDelayMs', async () => {
    const now = Date.parse('2026-12-02T07:00:00Z');
    server.script(json(429, {}, { 'retry-after': 'Wed, 02 Dec 2026 07:00:03 GMT' }), json(503, {}, { 'retry-after': '3600' }), ok());
    await client({ now: () => now }).complete(request);
    expect(delays).toEqual([3_000, 5_000]);
  });

  it('retries a 500 with full-jitter exponential backoff, then succeeds', async () => {
    server.script(json(500, 'oops'), json(502, 'bad gateway'), ok());
    const r = await client({ retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000 } }).complete(request);
    // random() = 0.5: half of 100·2^0, then half of 100·2^1
    expect(delays).toEqual([50, 100]);
    expect(r.attempts.map((a) => a.status)).toEqual([500, 502, 200]);
  });

  it('ends a hang at the per-attempt timeout and retries', async () => {
    server.script(hang, ok());
    const t0 = Date.now();
    const r = await client({ timeoutMs: 300 }).complete(request);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.attempts.map((a) => a.outcome)).toEqual(['model.timeout', 'ok']);
    expect(r.attempts[0]!.status).toBeNull();
  });

  it('retries a connection dropped mid-body', async () => {
    server.script(dropMidBody, ok());
    const r = await client().complete(request);
    expect(r.attempts.map((a) => a.outcome)).toEqual(['model.connection', 'ok']);
    expect(server.requests).toHaveLength(2);
  });

  it('gives a specific error per cause after the last attempt', async () => {
    const cases: [Parameters<ScriptedServer['script']>[0], string, RegExp][] = [
      [json(500, { error: { message: 'engine crashed' } }), 'model.server-error', /HTTP 500.*all 3 attempts.*engine crashed.*Resume the run later/],
      [json(429, { error: 'quota' }), 'model.rate-limited', /429.*Lower the run's concurrency/],
      [dropMidBody, 'model.connection', /dropped mid-answer.*Check that the endpoint is running/],
      [hang, 'model.timeout', /within 200 ms on all 3 attempts.*raise the request timeout/],
    ];
    for (const [handler, code, message] of cases) {
      server.requests.length = 0;
      delays = [];
      server.script(handler);
      const e = await failure(client({ timeoutMs: 200 }).complete(request));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(e.detail).toMatchObject({ attempts: 3 });
      expect(server.requests).toHaveLength(3);
      expect(delays).toEqual([50, 100]);
      expectNoKey(e);
    }
  });

  it('retries a refused connection and then reports model.connection', async () => {
    const gone = await startScriptedServer();
    const url = gone.url;
    await gone.close();
    const e = await failure(client({ baseUrl: url }).complete(request));
    expect(e.code).toBe('model.connection');
    expect(e.message).toContain('ECONNREFUSED');
    expect(delays).toHaveLength(2);
  });
});

describe('chat client: answers that are not retried', () => {
  it('malformed JSON is model.bad-response after one request', async () => {
    server.script(json(200, '{"choices": [ {"index": 0, '));
    const e = await failure(client().complete(request));
    expect(e.code).toBe('model.bad-response');
    expect(e.message).toMatch(/not valid JSON/);
    expect(server.requests).toHaveLength(1);
  });

  it('a completion without choices (missing or empty) is model.no-choices', async () => {
    for (const body of [{ id: 'x', object: 'chat.completion' }, { ...completionBody(), choices: [] }]) {
      server.requests.length = 0;
      server.script(json(200, body));
      const e = await failure(client().complete(request));
      expect(e.code).toBe('model.no-choices');
      expect(server.requests).toHaveLength(1);
    }
  });

  it('a choice without a message, or a message with neither content nor tool_calls, is model.bad-response', async () => {
    for (const choice of [{ index: 0, finish_reason: 'stop' }, { index: 0, message: { role: 'assistant' } }]) {
      server.script(json(200, { choices: [choice] }));
      const e = await failure(client().complete(request));
      expect(e.code).toBe('model.bad-response');
      expect(e.message).toMatch(/choices\.0\.message/);
    }
  });

  it('a response over the size limit is model.bad-response, whether declared or streamed', async () => {
    server.script(json(200, completionBody('x'.repeat(2_000))));
    expect((await failure(client({ maxResponseBytes: 1_000 }).complete(request))).message).toMatch(/over the 1000-byte limit/);
    server.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completionBody('y'.repeat(2_000))));
    });
    const e = await failure(client({ maxResponseBytes: 1_000 }).complete(request));
    expect(e.code).toBe('model.bad-response');
    expect(e.message).toMatch(/over the 1000-byte limit/);
  });

  it('a 404 is model.http-error with the sanitised server message, not retried', async () => {
    server.script(json(404, { error: { message: 'The model `gpt-x`\u0000 does not exist\n\n' + 'z'.repeat(1_000) } }));
    const e = await failure(client().complete(request));
    expect(e.code).toBe('model.http-error');
    expect(e.message).toMatch(/HTTP 404\. The server said: "The model `gpt-x` does not exist z+…"\. Check the engagement's baseUrl/);
    expect(e.message).not.toContain('\u0000');
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(600);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('a 302 is model.redirect-refused, and the redirect target is never contacted', async () => {
    const target = await startScriptedServer();
    try {
      target.script(ok());
      server.script((_req, res) => res.writeHead(302, { location: `${target.url}/v1/chat/completions` }).end());
      const e = await failure(client().complete(request));
      expect(e.code).toBe('model.redirect-refused');
      expect(e.message).toMatch(/HTTP 302.*never follows a redirect/);
      expect(server.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });
});

describe('chat client: the baseUrl is the only place it talks to', () => {
  it('keeps the path prefix of the baseUrl, with or without a trailing slash', async () => {
    server.script(ok());
    await client({ baseUrl: `${server.url}/proxy/v1/` }).complete(request);
    await client({ baseUrl: `${server.url}/proxy/v1` }).complete(request);
    await client({ baseUrl: server.url }).complete(request);
    expect(server.requests.map((r) => r.path)).toEqual(['/proxy/v1/chat/completions', '/proxy/v1/chat/completions', '/chat/completions']);
  });

  it('refuses baseUrls that are not plain http(s) bases', () => {
    for (const bad of ['ftp://127.0.0.1/v1', 'http://user:pw@127.0.0.1/v1', 'http://127.0.0.1/v1?x=1', 'http://127.0.0.1/v1#f', 'not a url', 'file:///etc/passwd']) {
      expect(() => resolveModelEndpoint(bad), bad).toThrow(expect.objectContaining({ code: 'model.bad-url' }));
    }
  });

  it('judges other URLs against the origin and path prefix', () => {
    const ep = resolveModelEndpoint('https://models.lab.example:8443/v1');
    expect(ep.chatCompletions.href).toBe('https://models.lab.example:8443/v1/chat/completions');
    expect(isWithinBase('https://models.lab.example:8443/v1/chat/completions', ep)).toBe(true);
    expect(isWithinBase('https://models.lab.example:8443/v1x/chat/completions', ep)).toBe(false);
    expect(isWithinBase('https://models.lab.example:8443/v1/../admin', ep)).toBe(false);
    expect(isWithinBase('https://models.lab.example:9443/v1/chat/completions', ep)).toBe(false);
    expect(isWithinBase('http://models.lab.example:8443/v1/chat/completions', ep)).toBe(false);
    expect(isWithinBase('https://evil.example/v1/chat/completions', ep)).toBe(false);
    expect(isWithinBase('https://u:p@models.lab.example:8443/v1/chat/completions', ep)).toBe(false);
  });

  it('refuses a credential that cannot be a bearer token, without echoing it', () => {
    const key = 'sk-line1\r\nX-Evil: 1';
    try {
      createChatClient({ baseUrl: server.url, model: 'm', apiKey: key, timeoutMs: 1_000, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
      expect.unreachable();
    } catch (e) {
      expect((e as AirlockError).code).toBe('model.bad-credential');
      expect(inspect(e, { showHidden: true })).not.toContain('line1');
    }
  });
});

describe('chat client: cancel', () => {
  it('aborts a hanging request at once', async () => {
    server.script(hang);
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 100);
    const e = await failure(client({ timeoutMs: 10_000 }).complete(request, { signal: ac.signal }));
    expect(e.code).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a backoff wait at once (real sleep) and sends nothing more', async () => {
    server.script(json(429, {}, { 'retry-after': '60' }), ok());
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 150);
    const e = await failure(client({ sleep: undefined, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 60_000 } }).complete(request, { signal: ac.signal }));
    expect(e.code).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    server.script(ok());
    const e = await failure(client().complete(request, { signal: AbortSignal.abort() }));
    expect(e.code).toBe('cancelled');
    expect(server.requests).toHaveLength(0);
  });
});

describe('chat client: the key never leaves the Authorization header', () => {
  // The server echoes the key back in every way it can; none of it may reach an error.
  const echo = (status: number, headers: Record<string, string> = {}) =>
    json(status, { error: { message: `Invalid API key ${API_KEY} (header: Bearer ${API_KEY})` } }, headers);

  it('for every fault path', async () => {
    const faults: [string, Parameters<ScriptedServer['script']>[0]][] = [
      ['model.http-error', echo(401)],
      ['model.http-error', echo(400)],
      ['model.rate-limited', echo(429, { 'retry-after': '1' })],
      ['model.server-error', echo(500)],
      ['model.redirect-refused', (_req, res) => res.writeHead(307, { location: `http://127.0.0.1:1/?key=${API_KEY}` }).end()],
      ['model.timeout', hang],
      ['model.connection', dropMidBody],
      ['model.bad-response', json(200, `{"not json ${API_KEY}`)],
      ['model.no-choices', json(200, { error: API_KEY })],
      ['model.bad-response', json(200, { choices: [{ index: 0, message: { role: API_KEY, content: API_KEY } }] })],
    ];
    for (const [code, handler] of faults) {
      server.script(handler);
      const e = await failure(client({ timeoutMs: 200, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 10 } }).complete(request));
      expect(e.code, code).toBe(code);
      expectNoKey(e);
    }
    const cancelled = new AbortController();
    server.script(hang);
    setTimeout(() => cancelled.abort(), 50);
    expectNoKey(await failure(client().complete(request, { signal: cancelled.signal })));
    const refused = await startScriptedServer();
    await refused.close();
    expectNoKey(await failure(client({ baseUrl: refused.url, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } }).complete(request)));
    // and a success after echoed faults returns nothing that holds it
    server.script(echo(429, { 'retry-after': '0' }), echo(503), dropMidBody, ok());
    const recovered = await client({ retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 10 } }).complete(request);
    expect(recovered.attempts.map((a) => a.reason)).toEqual(['rate limited (429)', 'server error (503)', 'the connection dropped mid-answer', undefined]);
    expectNoKey(recovered);
    server.script(ok());
    const c = client();
    expectNoKey(await c.complete(request));
    expectNoKey(c);
  });
});

describe('retry arithmetic', () => {
  it('parses Retry-After seconds and HTTP-dates, ignoring anything else', () => {
    const now = Date.parse('2026-12-02T07:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 02 Dec 2026 07:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 06:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('full jitter stays within base·2^(n−1), capped by maxDelayMs', () => {
    const p = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(p, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(p, 3, () => 0.5)).toBe(200);
    expect(backoffDelay(p, 8, () => 0.999)).toBe(999);
    expect(backoffDelay(p, 2, () => 0)).toBe(0);
    expect(backoffDelay(p, 2, () => 0.7, 30_000)).toBe(1_000);
  });
});
