/** The content group: what accepted bundles became (engagements, eval tasks, samples, model cards). */
import type { AirlockServices } from '../../services/airlock-services';
import type { EngagementDto, EvalTaskDto, EvalSampleDto, WindowState } from '../../../shared/ipc/contract';
import type { Engagement, EvalSample, EvalTask, Json } from '../../services/intake';
import { AirlockError } from '../../../shared/errors';
import type { GroupHandlers } from '../router';

export function contentHandlers(services: AirlockServices): GroupHandlers<'content'> {
  return {
    'content.engagements': () => {
      const { vault, catalog } = services.unlocked();
      const now = vault.clock.now();
      const titles = new Map(catalog.imported().map((b) => [b.importId, { title: b.title, classification: b.classification }]));
      return catalog.engagements().map((e) => engagementDto(e, titles.get(e.importId), now));
    },
    'content.tasks': ({ importId }) => {
      const { catalog } = services.unlocked();
      const titles = new Map(catalog.imported().map((b) => [b.importId, b.title]));
      if (importId && !titles.has(importId)) {
        throw new AirlockError('content.not-found', `No accepted bundle with import id ${importId} is in this vault. Refresh the list and choose again.`, { importId });
      }
      return catalog.tasks(importId).map((t) => taskDto(t, titles.get(t.importId) ?? t.packageName));
    },
    'content.samples': ({ taskId, offset, limit }) => {
      const { catalog } = services.unlocked();
      const task = catalog.tasks().find((t) => t.id === taskId);
      if (!task) throw new AirlockError('content.task-not-found', `No eval task with id ${taskId} is in this vault. Refresh the task list and choose again.`, { taskId });
      const items = offset >= task.sampleCount ? [] : catalog.samples(taskId, { offset, limit }).map(sampleDto);
      return { total: task.sampleCount, offset, items };
    },
    'content.modelCard': ({ engagementId }) => services.unlocked().catalog.modelCard(engagementId),
  };
}

const DAY_MS = 86_400_000;

/** The access window at `now`: open from start (inclusive) to end (exclusive). */
export function windowState(start: string, end: string, now: Date): { state: WindowState; days: number | null } {
  const t = now.getTime();
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (t < s) return { state: 'not-started', days: Math.floor((s - t) / DAY_MS) };
  if (t < e) return { state: 'open', days: Math.floor((e - t) / DAY_MS) };
  return { state: 'closed', days: null };
}

function engagementDto(e: Engagement, bundle: { title: string; classification: string } | undefined, now: Date): EngagementDto {
  // Deliberately no credentialSha384 or anything derived from it: only whether a credential is held.
  return {
    id: e.id,
    importId: e.importId,
    bundle: bundle ?? { title: `${e.developer} ${e.modelName}`, classification: e.classification },
    classification: e.classification,
    model: { developer: e.developer, name: e.modelName, version: e.modelVersion },
    window: { start: e.windowStart, end: e.windowEnd, at: now.toISOString(), ...windowState(e.windowStart, e.windowEnd, now) },
    access: {
      kind: e.accessKind,
      api: e.api,
      baseUrl: e.baseUrl,
      model: e.model,
      hasCredential: e.credentialSha384 !== null,
      weightsFormat: e.weightsFormat,
      weightFiles: e.weightFiles.map((f) => ({ path: f.path, size: f.size, sha384: f.sha384 })),
    },
    hasCard: e.cardSha384 !== null,
  };
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const jsonText = (j: Json): string => (typeof j === 'string' ? j : JSON.stringify(j));

/** A solver/scorer/metric spec as a short string: "name" or "name(arg=value, …)". */
export function shortSpec(j: Json): string {
  if (j && typeof j === 'object' && !Array.isArray(j) && typeof j.name === 'string') {
    const args = Object.entries(j).filter(([k]) => k !== 'name');
    const flat = args.length === 1 && args[0]![0] === 'args' && args[0]![1] && typeof args[0]![1] === 'object' && !Array.isArray(args[0]![1]) ? Object.entries(args[0]![1]) : args;
    return clip(flat.length ? `${j.name}(${flat.map(([k, v]) => `${k}=${jsonText(v)}`).join(', ')})` : j.name, 160);
  }
  return clip(jsonText(j), 160);
}

function taskDto(t: EvalTask, bundleTitle: string): EvalTaskDto {
  return {
    id: t.id,
    importId: t.importId,
    bundleTitle,
    packageName: t.packageName,
    packageVersion: t.packageVersion,
    path: t.path,
    name: t.name,
    description: t.description,
    datasetPath: t.datasetPath,
    sampleCount: t.sampleCount,
    solvers: t.solvers.map(shortSpec),
    scorers: t.scorers.map(shortSpec),
    metrics: t.metrics.map(shortSpec),
    epochs: t.epochs,
    epochReducer: t.epochReducer === null ? null : shortSpec(t.epochReducer),
    classification: t.classification,
  };
}

const INPUT_MAX = 8000;

/** A sample input as text: strings as they are, chat messages as "role: content" lines. */
export function inputText(input: Json): string {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    return input
      .map((m) => (m && typeof m === 'object' && !Array.isArray(m) ? `${typeof m.role === 'string' ? m.role : '?'}: ${m.content === undefined ? '' : jsonText(m.content)}` : jsonText(m)))
      .join('\n');
  }
  return jsonText(input);
}

function sampleDto(s: EvalSample): EvalSampleDto {
  const input = inputText(s.input);
  return {
    ordinal: s.ordinal,
    id: s.id,
    input: clip(input, INPUT_MAX),
    inputTruncated: input.length > INPUT_MAX,
    target: s.target === null ? null : clip(Array.isArray(s.target) ? s.target.map(jsonText).join(', ') : jsonText(s.target), 2000),
    choices: s.choices === null ? null : s.choices.slice(0, 100).map((c) => clip(String(c), 1000)),
    metadata: s.metadata === null ? null : Object.fromEntries(Object.entries(s.metadata).slice(0, 50).map(([k, v]) => [clip(k, 100), clip(jsonText(v), 500)])),
  };
}
