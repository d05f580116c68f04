/**
 * Checks a 2xx body is a chat completion before the runner sees it, and pulls
 * the token usage out of it. Unknown fields pass through untouched.
 */
import { z } from 'zod';
import type { ChatCompletion, ChatUsage } from './types';

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z
  .looseObject({
    role: z.literal('assistant'),
    content: z.string().nullable().optional(),
    tool_calls: z.array(toolCall).nullable().optional(),
    reasoning_content: z.string().nullable().optional(),
  })
  .refine((m) => typeof m.content === 'string' || (m.tool_calls?.length ?? 0) > 0, 'a message needs content or tool_calls');

const choice = z.looseObject({
  index: z.number().int().min(0),
  message,
  finish_reason: z.string().nullable().optional(),
});

const tokenCount = z.number().int().min(0);
const usage = z.looseObject({
  prompt_tokens: tokenCount.optional(),
  completion_tokens: tokenCount.optional(),
  total_tokens: tokenCount.optional(),
  reasoning_tokens: tokenCount.optional(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: tokenCount.nullable().optional() }).nullable().optional(),
});

const completion = z.looseObject({
  id: z.string().optional(),
  object: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z.array(choice),
  usage: usage.nullable().optional(),
});

export type ResponseCheck =
  | { ok: true; completion: ChatCompletion; usage: ChatUsage }
  | { ok: false; code: 'model.bad-response' | 'model.no-choices'; reason: string };

/** `text` is the whole body, already within the size limit. */
export function checkCompletionBody(text: string): ResponseCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'model.bad-response', reason: 'the body is not valid JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, code: 'model.bad-response', reason: 'the body is not a JSON object' };
  }
  const choices = (json as Record<string, unknown>).choices;
  if (choices === undefined || choices === null || (Array.isArray(choices) && choices.length === 0)) {
    return { ok: false, code: 'model.no-choices', reason: 'the completion has no choices' };
  }
  const parsed = completion.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, code: 'model.bad-response', reason: `${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  const c = parsed.data;
  const u = c.usage ?? undefined;
  const normalised: ChatCompletion = {
    ...c,
    choices: c.choices.map((ch) => {
      const { tool_calls: toolCalls, content, ...rest } = ch.message;
      const msg = { ...rest, role: 'assistant' as const, content: content ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
      return { ...ch, finish_reason: ch.finish_reason ?? null, message: msg };
    }),
    usage: u,
  };
  if (u === undefined) delete normalised.usage;
  return {
    ok: true,
    completion: normalised,
    usage: {
      promptTokens: u?.prompt_tokens ?? null,
      completionTokens: u?.completion_tokens ?? null,
      totalTokens: u?.total_tokens ?? (u?.prompt_tokens !== undefined && u?.completion_tokens !== undefined ? u.prompt_tokens + u.completion_tokens : null),
      reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? u?.reasoning_tokens ?? null,
    },
  };
}
