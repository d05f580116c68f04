/**
 * EvalSampleSummary as Inspect derives it from a sample (`EvalSample.summary()` and the thinning in
 * `log/_util.py`): inputs without media and cut at 5,120 characters, metadata thinned, scores reduced to
 * value/answer/explanation/metadata. The viewer lists samples from these, so every written log carries them.
 */
import { stringifyInspectJson } from './json';
import type { ChatMessage, Content, EvalSample, EvalSampleSummary, JsonObject, Score } from './types';

export const MAX_SUMMARY_TEXT_LENGTH = 5120;
const MAX_METADATA_TEXT = 1024;

export function truncateText(text: string, max = MAX_SUMMARY_TEXT_LENGTH): string {
  return text.length > max ? `${text.slice(0, max)}...\n(content truncated)` : text;
}

function thinInput(input: string | ChatMessage[]): string | ChatMessage[] {
  if (typeof input === 'string') return truncateText(input);
  return input.map((message) => {
    if (typeof message.content === 'string') return { ...message, content: truncateText(message.content) };
    const content: Content[] = message.content.map((part) => {
      if (part.type === 'text' && typeof part.text === 'string') {
        const text = truncateText(part.text);
        return text === part.text ? part : { ...part, text };
      }
      // Media and other parts become a placeholder such as "(Image)".
      return { type: 'text', text: `(${part.type.charAt(0).toUpperCase()}${part.type.slice(1).toLowerCase()})` };
    });
    return { ...message, content };
  });
}

/** Python's textwrap.shorten(text, width=1024, placeholder="..."): collapse whitespace, cut at a word boundary. */
function shorten(text: string, width = MAX_METADATA_TEXT): string {
  const collapsed = text.split(/\s+/).filter(Boolean).join(' ');
  if (collapsed.length <= width) return collapsed;
  const words = collapsed.split(' ');
  let out = '';
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (next.length + 3 > width) break;
    out = next;
  }
  return `${out}...`;
}

function thinMetadata(metadata: JsonObject): JsonObject {
  const thinned: JsonObject = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') thinned[key] = value;
    else if (typeof value === 'string') thinned[key] = shorten(value);
    else thinned[key] = stringifyInspectJson(value).length <= MAX_METADATA_TEXT ? value : 'Key removed from summary (> 1k)';
  }
  return thinned;
}

function thinScore(score: Score): Score {
  const out: Score = { value: score.value };
  if (score.answer !== undefined) out.answer = score.answer;
  if (score.explanation !== undefined) out.explanation = score.explanation;
  if (score.metadata !== undefined) out.metadata = score.metadata;
  out.history = [];
  return out;
}

export function sampleSummary(sample: EvalSample): EvalSampleSummary {
  const summary: EvalSampleSummary = {
    id: sample.id,
    epoch: sample.epoch,
    input: thinInput(sample.input),
    target: sample.target,
    metadata: thinMetadata(sample.metadata ?? {}),
    model_usage: sample.model_usage ?? {},
    role_usage: sample.role_usage ?? {},
    completed: true,
  };
  if (sample.choices !== undefined) summary.choices = sample.choices;
  if (sample.scores) {
    summary.scores = Object.fromEntries(Object.entries(sample.scores).map(([k, s]) => [k, thinScore(s)]));
  }
  if (sample.started_at !== undefined) summary.started_at = sample.started_at;
  if (sample.completed_at !== undefined) summary.completed_at = sample.completed_at;
  if (sample.total_time !== undefined) summary.total_time = sample.total_time;
  if (sample.working_time !== undefined) summary.working_time = sample.working_time;
  if (sample.uuid !== undefined) summary.uuid = sample.uuid;
  if (sample.error) summary.error = sample.error.message;
  if (sample.limit) summary.limit = sample.limit.type;
  if (sample.error_retries) summary.retries = sample.error_retries.length;
  return summary;
}
