/**
 * Parsing of eval-package content (spec §5): task files shaped like Inspect's
 * eval.yaml and their JSONL datasets with Inspect Sample fields. The content
 * is signed, so anything malformed rejects the import, naming file:line.
 */
import path from 'node:path/posix';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { AirlockError } from '../../../shared/errors';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface ParsedTask {
  /** Task file path in the bundle. */
  path: string;
  name: string;
  description: string | null;
  /** Dataset path in the bundle (resolved relative to the task file). */
  datasetPath: string;
  solvers: Json[];
  scorers: Json[];
  metrics: Json[];
  epochs: number | null;
  epochReducer: Json | null;
  /** The app-specific `x-` keys, as written. */
  extensions: Record<string, Json>;
  /** The whole task document. */
  definition: Record<string, Json>;
}

export interface ParsedSample {
  ordinal: number;
  id: string;
  input: Json;
  target: Json | null;
  choices: string[] | null;
  metadata: Record<string, Json> | null;
}

export function malformed(code: 'intake.malformed-task' | 'intake.malformed-dataset', file: string, line: number | null, what: string): AirlockError {
  const where = line ? `${file}:${line}` : file;
  return new AirlockError(code, `${where}: ${what}. The bundle's signed content is malformed; ask the issuer for a corrected bundle.`, {
    file,
    line: line ?? null,
  });
}

const MAX_TASK_BYTES = 4 << 20;

function asList(v: unknown): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? (v as Json[]) : [v as Json];
}

/** Parse one task file; `exists(path)` says whether a bundle path is listed in SHA384SUMS. */
export function parseTask(file: string, bytes: Uint8Array, exists: (p: string) => boolean): ParsedTask {
  const fail = (line: number | null, what: string) => malformed('intake.malformed-task', file, line, what);
  if (bytes.length > MAX_TASK_BYTES) throw fail(null, `the task file is ${bytes.length} bytes, more than the 4 MiB limit`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail(null, 'not valid UTF-8');
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw fail(lc.linePos(e.pos[0]).line, `YAML error: ${e.message.split('\n')[0]}`);
  }
  const lineOf = (key: string): number | null => {
    if (!isMap(doc.contents)) return null;
    const pair = doc.contents.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    return range ? lc.linePos(range[0]).line : null;
  };
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw fail(1, 'a task file must be a YAML mapping');
  const d = data as Record<string, unknown>;
  if (typeof d.name !== 'string' || d.name.trim() === '') throw fail(lineOf('name') ?? 1, 'field "name" is missing or not a non-empty string');
  if (d.description !== undefined && d.description !== null && typeof d.description !== 'string') throw fail(lineOf('description'), 'field "description" must be a string');
  const ds = d.dataset;
  const dsRel = typeof ds === 'string' ? ds : ds && typeof ds === 'object' && !Array.isArray(ds) ? ((ds as Record<string, unknown>).path ?? (ds as Record<string, unknown>).file) : undefined;
  if (typeof dsRel !== 'string' || dsRel === '') throw fail(lineOf('dataset') ?? 1, 'field "dataset" is missing; give the path of the JSONL dataset relative to the task file');
  if (dsRel.startsWith('/') || dsRel.includes('\\')) throw fail(lineOf('dataset'), `dataset path "${dsRel}" must be relative, with "/" separators`);
  const datasetPath = path.normalize(path.join(path.dirname(file), dsRel));
  if (datasetPath.startsWith('../') || datasetPath === '..' || datasetPath.startsWith('/'))
    throw fail(lineOf('dataset'), `dataset path "${dsRel}" leaves the bundle`);
  if (!exists(datasetPath)) throw fail(lineOf('dataset'), `dataset "${datasetPath}" is not listed in SHA384SUMS`);
  let epochs: number | null = null;
  let epochReducer: Json | null = (d.epoch_reducer as Json | undefined) ?? null;
  const ep = d.epochs;
  if (ep !== undefined && ep !== null) {
    const n = typeof ep === 'object' && !Array.isArray(ep) ? (ep as Record<string, unknown>).epochs : ep;
    if (typeof ep === 'object' && !Array.isArray(ep) && (ep as Record<string, unknown>).reducer !== undefined) epochReducer = (ep as Record<string, Json>).reducer!;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10000) throw fail(lineOf('epochs'), 'field "epochs" must be a whole number from 1 to 10000');
    epochs = n;
  }
  const metrics = asList(d.metrics);
  const extensions: Record<string, Json> = {};
  for (const [k, v] of Object.entries(d)) if (k.startsWith('x-')) extensions[k] = v as Json;
  return {
    path: file,
    name: d.name,
    description: (d.description as string | undefined) ?? null,
    datasetPath,
    solvers: asList(d.solvers ?? d.solver),
    scorers: asList(d.scorers ?? d.scorer),
    metrics,
    epochs,
    epochReducer,
    extensions,
    definition: d as Record<string, Json>,
  };
}

function isMessageList(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((m) => m && typeof m === 'object' && !Array.isArray(m) && typeof (m as Record<string, unknown>).role === 'string' && 'content' in (m as object))
  );
}

/** Parse a JSONL dataset of Inspect Samples. */
export function parseDataset(file: string, bytes: Uint8Array): ParsedSample[] {
  const fail = (line: number | null, what: string) => malformed('intake.malformed-dataset', file, line, what);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail(null, 'not valid UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) throw fail(1, 'starts with a byte-order mark');
  const out: ParsedSample[] = [];
  const ids = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      throw fail(lineNo, `not valid JSON (${(e as Error).message})`);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw fail(lineNo, 'each line must be a JSON object (an Inspect Sample)');
    const s = v as Record<string, unknown>;
    if (!(typeof s.input === 'string' || isMessageList(s.input))) throw fail(lineNo, '"input" must be a string or a list of chat messages ({role, content})');
    if (s.target !== undefined && !(typeof s.target === 'string' || (Array.isArray(s.target) && s.target.every((t) => typeof t === 'string'))))
      throw fail(lineNo, '"target" must be a string or a list of strings');
    if (s.choices !== undefined && !(Array.isArray(s.choices) && s.choices.every((c) => typeof c === 'string'))) throw fail(lineNo, '"choices" must be a list of strings');
    if (s.metadata !== undefined && s.metadata !== null && (typeof s.metadata !== 'object' || Array.isArray(s.metadata))) throw fail(lineNo, '"metadata" must be an object');
    let id: string;
    if (s.id === undefined || s.id === null) id = String(out.length + 1);
    else if (typeof s.id === 'string' && s.id !== '') id = s.id;
    else if (typeof s.id === 'number' && Number.isInteger(s.id)) id = String(s.id);
    else throw fail(lineNo, '"id" must be a non-empty string or an integer');
    const prev = ids.get(id);
    if (prev !== undefined) throw fail(lineNo, `sample id "${id}" repeats the id on line ${prev}`);
    ids.set(id, lineNo);
    out.push({
      ordinal: out.length,
      id,
      input: s.input as Json,
      target: (s.target as Json | undefined) ?? null,
      choices: (s.choices as string[] | undefined) ?? null,
      metadata: (s.metadata as Record<string, Json> | undefined) ?? null,
    });
  }
  if (out.length === 0) throw fail(null, 'the dataset has no samples');
  return out;
}
