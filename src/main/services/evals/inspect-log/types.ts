/**
 * The parts of Inspect's log model (inspect_ai `log/_log.py`, shared/spec/inspect-interop.md §1) that Airlock reads
 * and writes. Every object type keeps an index signature: a log imported from Inspect carries fields Airlock does
 * not model (events of kinds it never produces, newer EvalSpec fields…) and must keep them on a round trip.
 */

/** JSON as Inspect writes it: numbers may be NaN/±Infinity (the "unscored" sentinel and friends). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: unknown };

export type EvalStatus = 'started' | 'success' | 'cancelled' | 'error';

export interface ModelUsage extends JsonObject {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_cache_read?: number;
  input_tokens_cache_write?: number;
  reasoning_tokens?: number;
  total_cost?: number;
}

export interface ContentText extends JsonObject {
  type: 'text';
  text: string;
}
/** Content parts other than text are kept as they came (reasoning, image, audio…). */
export type Content = ContentText | (JsonObject & { type: string });

export interface ChatMessage extends JsonObject {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | Content[];
  id?: string;
  source?: 'input' | 'generate' | 'operator';
  metadata?: JsonObject;
}

/** A Score; `value` NaN means "unscored". */
export type ScoreValue =
  | string
  | number
  | boolean
  | Array<string | number | boolean>
  | { [key: string]: string | number | boolean | null };

export interface Score extends JsonObject {
  value: ScoreValue;
  answer?: string;
  explanation?: string;
  metadata?: JsonObject;
  history?: unknown[];
}

export interface EvalSampleScore extends Score {
  sample_id?: string | number;
}

export interface EvalDataset extends JsonObject {
  name?: string;
  location?: string;
  samples?: number;
  sample_ids?: Array<string | number>;
  shuffled?: boolean;
}

export interface EvalConfig extends JsonObject {
  epochs?: number;
  epochs_reducer?: string[];
  limit?: number | [number, number];
  message_limit?: number;
  token_limit?: number;
  time_limit?: number;
  fail_on_error?: boolean | number;
  log_samples?: boolean;
}

export interface EvalMetricDefinition extends JsonObject {
  name: string;
  options?: JsonObject;
}

export interface EvalScorer extends JsonObject {
  name: string;
  options?: JsonObject;
  metrics?: unknown;
  metadata?: JsonObject;
}

export interface EvalSpec extends JsonObject {
  eval_id: string;
  run_id: string;
  created: string;
  task: string;
  task_id: string;
  task_version: number | string;
  task_attribs: JsonObject;
  task_args: JsonObject;
  task_args_passed: JsonObject;
  dataset: EvalDataset;
  model: string;
  model_generate_config: JsonObject;
  model_args: JsonObject;
  config: EvalConfig;
  packages: Record<string, string>;
  eval_set_id?: string;
  task_file?: string;
  solver?: string;
  tags?: string[];
  sandbox?: JsonObject;
  model_base_url?: string;
  model_roles?: JsonObject;
  revision?: JsonObject;
  metadata?: JsonObject;
  scorers?: EvalScorer[];
}

export interface EvalPlanStep extends JsonObject {
  solver: string;
  params: JsonObject;
  params_passed: JsonObject;
}

export interface EvalPlan extends JsonObject {
  name: string;
  steps: EvalPlanStep[];
  finish?: EvalPlanStep;
  config: JsonObject;
}

export interface EvalMetric extends JsonObject {
  name: string;
  value: number;
  params: JsonObject;
  group?: string;
  metadata?: JsonObject;
}

export interface EvalScore extends JsonObject {
  name: string;
  scorer: string;
  reducer?: string;
  scored_samples?: number;
  unscored_samples?: number;
  params: JsonObject;
  /** Keyed by the unqualified metric name (collisions get 2, 3…). */
  metrics: Record<string, EvalMetric>;
  metadata?: JsonObject;
}

export interface EvalResults extends JsonObject {
  total_samples: number;
  completed_samples: number;
  scores: EvalScore[];
  metadata?: JsonObject;
}

export interface EvalStats extends JsonObject {
  started_at: string;
  completed_at: string;
  model_usage: Record<string, ModelUsage>;
  role_usage: Record<string, ModelUsage>;
  connection_limit_history: unknown[];
}

export interface EvalError extends JsonObject {
  message: string;
  traceback: string;
  traceback_ansi: string;
}

export interface ChatCompletionChoice extends JsonObject {
  message: ChatMessage;
  stop_reason: string;
}

export interface ModelOutput extends JsonObject {
  model: string;
  choices: ChatCompletionChoice[];
  completion: string;
  usage?: ModelUsage;
  time?: number;
  error?: string;
}

/** One event of `sample.events`; Airlock writes sample_init, model and score, and keeps any other kind as read. */
export interface EvalEvent extends JsonObject {
  event: string;
  timestamp: string;
  working_start: number;
}

export interface EventsData extends JsonObject {
  messages: ChatMessage[];
  calls: JsonObject[];
}

export interface EvalSampleLimit extends JsonObject {
  type: string;
  limit?: number;
}

export interface EvalSample extends JsonObject {
  id: string | number;
  epoch: number;
  input: string | ChatMessage[];
  target: string | string[];
  messages: ChatMessage[];
  output: ModelOutput;
  metadata: JsonObject;
  store: JsonObject;
  events: EvalEvent[];
  model_usage: Record<string, ModelUsage>;
  role_usage: Record<string, ModelUsage>;
  attachments: Record<string, string>;
  choices?: string[];
  scores?: Record<string, Score>;
  started_at?: string;
  completed_at?: string;
  total_time?: number;
  working_time?: number;
  uuid?: string;
  error?: EvalError;
  error_retries?: EvalError[];
  limit?: EvalSampleLimit;
  events_data?: EventsData;
}

export interface EvalSampleSummary extends JsonObject {
  id: string | number;
  epoch: number;
  input: string | ChatMessage[];
  target: string | string[];
  metadata: JsonObject;
  model_usage: Record<string, ModelUsage>;
  role_usage: Record<string, ModelUsage>;
  completed: boolean;
  choices?: string[];
  scores?: Record<string, Score>;
  total_time?: number;
  working_time?: number;
  uuid?: string;
  error?: string;
  limit?: string;
  retries?: number;
  message_count?: number;
  started_at?: string;
  completed_at?: string;
}

export interface EvalSampleReductions extends JsonObject {
  scorer: string;
  reducer?: string;
  samples: EvalSampleScore[];
}

/** header.json: the log without samples and reductions. */
export interface EvalLogHeader extends JsonObject {
  version: number;
  status: EvalStatus;
  eval: EvalSpec;
  plan: EvalPlan;
  results?: EvalResults;
  stats: EvalStats;
  error?: EvalError;
  invalidated: boolean;
  tags: string[];
  metadata: JsonObject;
  log_updates?: unknown[];
  config_updates?: unknown[];
}

/** The whole log as `read_eval_log` returns it. */
export interface EvalLog extends EvalLogHeader {
  samples?: EvalSample[];
  reductions?: EvalSampleReductions[];
}

/** `_journal/start.json`. */
export interface EvalJournalStart extends JsonObject {
  version: number;
  eval: EvalSpec;
  plan: EvalPlan;
}

/** Inspect's current log format version (`LOG_SCHEMA_VERSION`). */
export const LOG_SCHEMA_VERSION = 2;
