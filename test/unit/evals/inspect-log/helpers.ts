/**
 * Test helpers: a raw ZIP builder that can write what no ZIP library will (zstd members, duplicate names, lying
 * sizes, damaged CRCs) so the reader's handling of real and hostile Inspect logs can be exercised, and a sample log.
 */
import { execFileSync } from 'node:child_process';
import { crc32, deflateRawSync } from 'node:zlib';
import type { EvalLogHeader, EvalSample, EvalSampleReductions } from '../../../../src/main/services/evals/inspect-log';

export interface RawZipEntry {
  name: string;
  data: Buffer | string;
  /** 0 stored, 8 deflate, 93 zstd, anything else written as given with the data stored. */
  method?: number;
  /** Override the sizes/CRC written in the headers (for hostile archives). */
  uncompressedSize?: number;
  crc?: number;
  /** Already-compressed bytes to write as the member's data. */
  rawCompressed?: Buffer;
}

export function hasZstdCli(): boolean {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A real zstd frame from the zstd CLI (content size recorded, checksum on). */
export function zstdCompress(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-19', '--content-size'], { input: data });
}

/**
 * A valid zstd frame built by hand from raw blocks (RFC 8878): magic, a single-segment header with an 8-byte
 * content size, then raw blocks of ≤ 128 KiB. Used where the zstd CLI may be missing.
 */
export function zstdRawFrame(data: Buffer, declaredSize = data.length): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(4 + 1 + 8);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = (3 << 6) | (1 << 5); // FCS 8 bytes, single segment, no checksum, no dictionary
  header.writeUInt32LE(declaredSize % 2 ** 32, 5);
  header.writeUInt32LE(Math.floor(declaredSize / 2 ** 32), 9);
  parts.push(header);
  const blockMax = 128 * 1024;
  let off = 0;
  do {
    const chunk = data.subarray(off, off + blockMax);
    off += chunk.length;
    const last = off >= data.length ? 1 : 0;
    const bh = last | (0 << 1) | (chunk.length << 3);
    parts.push(Buffer.from([bh & 0xff, (bh >> 8) & 0xff, (bh >> 16) & 0xff]), chunk);
  } while (off < data.length);
  return Buffer.concat(parts);
}

export function buildZip(entries: RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const method = e.method ?? 8;
    const compressed =
      e.rawCompressed ?? (method === 8 ? deflateRawSync(data) : method === 93 ? zstdRawFrame(data) : data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? crc32(data);
    const usize = e.uncompressedSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method === 93 ? 63 : 20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(method === 93 ? 63 : 20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CREATED = '2026-03-02T10:15:00+00:00';

function usage(input: number, output: number) {
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}

/** One sample of the "capitals" task, as Airlock's runner would record it (Inspect field names). */
export function makeSample(id: number | string, epoch: number, question: string, answer: string, correct: boolean): EvalSample {
  const completion = correct ? `The answer is ${answer}.` : 'I do not know.';
  const user = { role: 'user' as const, content: question, source: 'input' as const, id: `m-${id}-${epoch}-u` };
  const assistant = {
    role: 'assistant' as const,
    content: completion,
    source: 'generate' as const,
    model: 'lab-model',
    id: `m-${id}-${epoch}-a`,
  };
  const output = {
    model: 'lab-model',
    choices: [{ message: assistant, stop_reason: 'stop' }],
    completion,
    usage: usage(12, 6),
  };
  const score = { value: correct ? 'C' : 'I', answer: completion, explanation: completion, history: [] };
  const t = '2026-03-02T10:15:01+00:00';
  return {
    id,
    epoch,
    input: question,
    target: answer,
    messages: [user, assistant],
    output,
    metadata: { region: 'europe', note: null },
    store: {},
    events: [
      {
        event: 'sample_init',
        timestamp: t,
        working_start: 0,
        sample: { id, input: question, target: answer },
        state: { messages: [user] },
      },
      {
        event: 'model',
        timestamp: t,
        working_start: 0.1,
        model: 'openai-api/lab/lab-model',
        input: [user],
        tools: [],
        tool_choice: 'none',
        config: { temperature: 0 },
        output,
      },
      { event: 'score', timestamp: t, working_start: 0.2, score, intermediate: false },
    ],
    model_usage: { 'openai-api/lab/lab-model': usage(12, 6) },
    role_usage: {},
    attachments: {},
    scores: { match: score },
    started_at: t,
    completed_at: '2026-03-02T10:15:02+00:00',
    total_time: 1.0,
    working_time: 0.8,
    uuid: `uuid-${id}-${epoch}`,
  };
}

/** 2 samples × 2 epochs, one `match` scorer with accuracy + stderr, epochs reduced with `mean`. */
export function makeLog(): { header: EvalLogHeader; samples: EvalSample[]; reductions: EvalSampleReductions[] } {
  const samples = [
    makeSample(1, 1, 'Capital of France?', 'Paris', true),
    makeSample(2, 1, 'Capital of Peru?', 'Lima', false),
    makeSample(1, 2, 'Capital of France?', 'Paris', true),
    makeSample(2, 2, 'Capital of Peru?', 'Lima', true),
  ];
  const header: EvalLogHeader = {
    version: 2,
    status: 'success',
    eval: {
      eval_id: 'Ev4LiD000000000000000a',
      run_id: 'RuNiD000000000000000aa',
      created: CREATED,
      task: 'capitals',
      task_id: 'TaSkiD00000000000000aa',
      task_version: 0,
      task_attribs: {},
      task_args: {},
      task_args_passed: {},
      dataset: { name: 'capitals', samples: 2, sample_ids: [1, 2], shuffled: false },
      model: 'openai-api/lab/lab-model',
      model_generate_config: { temperature: 0 },
      model_args: {},
      config: { epochs: 2, epochs_reducer: ['mean'] },
      packages: { airlock: '0.1.0' },
      scorers: [{ name: 'match', options: {}, metrics: [{ name: 'inspect_ai/accuracy', options: {} }, { name: 'inspect_ai/stderr', options: {} }] }],
    },
    plan: { name: 'plan', steps: [{ solver: 'generate', params: {}, params_passed: {} }], config: {} },
    results: {
      total_samples: 4,
      completed_samples: 4,
      scores: [
        {
          name: 'match',
          scorer: 'match',
          reducer: 'mean',
          scored_samples: 2,
          unscored_samples: 0,
          params: {},
          metrics: {
            accuracy: { name: 'accuracy', value: 0.75, params: {} },
            stderr: { name: 'stderr', value: 0.25, params: {} },
          },
        },
      ],
    },
    stats: {
      started_at: CREATED,
      completed_at: '2026-03-02T10:16:00+00:00',
      model_usage: { 'openai-api/lab/lab-model': usage(48, 24) },
      role_usage: {},
      connection_limit_history: [],
    },
    invalidated: false,
    tags: [],
    metadata: {},
  };
  const reductions: EvalSampleReductions[] = [
    {
      scorer: 'match',
      reducer: 'mean',
      samples: [
        { value: 1.0, answer: 'The answer is Paris.', history: [], sample_id: 1 },
        { value: 0.5, history: [], sample_id: 2 },
      ],
    },
  ];
  return { header, samples, reductions };
}
