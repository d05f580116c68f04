/** bundle.json (spec §5): strict decoding and typed schemas. */
import { z } from 'zod';
import type { BundleSummary, FailureCode } from '../../../shared/verification';
import { JsonError, parseStrictJson } from './json-strict';
import { pathProblem } from './paths';
import { IDENTIFIER_PATTERN } from '../../../shared/identifiers';

export const BUNDLE_FORMAT = 'airlock-bundle/1';
export const MAX_METADATA_BYTES = 1 << 20;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Date.parse rolls 2027-02-30 over into March: check every field is in range for its month. */
export function isRealRfc3339(s: string): boolean {
  const m = RFC3339.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  // RFC 3339 allows second 60 (leap second), but no JavaScript clock can represent it: refused.
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk && !Number.isNaN(Date.parse(s));
}

const time = z
  .string()
  .regex(RFC3339, 'must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z')
  .refine(isRealRfc3339, 'is not a real date and time (check the day of the month and the hour)');
const bundlePath = z.string().superRefine((s, ctx) => {
  const p = pathProblem(s);
  if (p) ctx.addIssue({ code: 'custom', message: `is not a valid bundle path (${p})` });
});
const ident = z.string().regex(IDENTIFIER_PATTERN, 'must match [a-z0-9][a-z0-9._-]{0,127}');
const text = (max = 1000) => z.string().min(1, 'must not be empty').max(max);
const sha384Hex = z.string().regex(/^[0-9a-f]{96}$/, 'must be 96 lowercase hex digits');

const common = {
  format: z.literal(BUNDLE_FORMAT),
  id: ident,
  series: ident,
  sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  title: text(),
  issuer: text(),
  issuedAt: time,
  notBefore: time,
  notAfter: time,
  audience: z.array(ident).min(1).optional(),
  classification: text(256),
};

const endpointAccess = z.object({
  kind: z.literal('endpoint'),
  api: z.literal('openai-chat'),
  baseUrl: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  model: text(256),
  credential: bundlePath.optional(),
});
const weightsAccess = z.object({
  kind: z.literal('weights'),
  format: z.enum(['gguf', 'safetensors']),
  files: z.array(bundlePath).min(1),
});

export const modelAccessSchema = z.object({
  ...common,
  type: z.literal('model-access'),
  model: z.object({
    developer: text(),
    name: text(),
    version: text(),
    card: bundlePath.optional(),
    accessWindow: z.object({ start: time, end: time }).refine((w) => Date.parse(w.start) < Date.parse(w.end), 'start must be before end'),
    access: z.discriminatedUnion('kind', [endpointAccess, weightsAccess]),
  }),
});

export const evalPackageSchema = z.object({
  ...common,
  type: z.literal('eval-package'),
  package: z.object({ name: text(), version: text(), tasks: z.array(bundlePath).min(1) }),
});

export const resultSchema = z.object({
  ...common,
  type: z.literal('result'),
  result: z.object({
    inputs: z.array(z.object({ id: ident, series: ident, sequence: z.number().int().min(0), sumsSha384: sha384Hex })),
    evaluator: z.union([text(), z.object({ name: text() }).passthrough()]),
    report: bundlePath,
    findings: bundlePath,
    logs: z.array(bundlePath),
  }),
});

export const bundleMetadataSchema = z
  .discriminatedUnion('type', [modelAccessSchema, evalPackageSchema, resultSchema])
  .refine((m) => Date.parse(m.notBefore) < Date.parse(m.notAfter), { message: 'notBefore must be before notAfter', path: ['notAfter'] });

export type ModelAccessMetadata = z.infer<typeof modelAccessSchema>;
export type EvalPackageMetadata = z.infer<typeof evalPackageSchema>;
export type ResultMetadata = z.infer<typeof resultSchema>;
export type BundleMetadata = ModelAccessMetadata | EvalPackageMetadata | ResultMetadata;

export class MetadataError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

/** Decode and validate bundle.json bytes. Throws MetadataError. */
export function parseMetadata(bytes: Uint8Array): BundleMetadata {
  if (bytes.length > MAX_METADATA_BYTES) throw new MetadataError('metadata.too-large', `bundle.json is ${bytes.length} bytes; the limit is 1 MiB.`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw new MetadataError('metadata.encoding', 'bundle.json starts with a byte-order mark; write UTF-8 without BOM.');
  let textValue: string;
  try {
    textValue = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new MetadataError('metadata.encoding', 'bundle.json is not valid UTF-8.');
  }
  let raw: unknown;
  try {
    raw = parseStrictJson(textValue);
  } catch (e) {
    if (e instanceof JsonError) throw new MetadataError(e.kind === 'duplicate-key' ? 'metadata.duplicate-key' : 'metadata.syntax', `bundle.json: ${e.message}`);
    throw e;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new MetadataError('metadata.schema', 'bundle.json must be a JSON object.');
  const fmt = (raw as Record<string, unknown>).format;
  if (fmt !== BUNDLE_FORMAT) throw new MetadataError('metadata.format', `bundle.json format is ${JSON.stringify(fmt ?? null)}; this verifier understands only "${BUNDLE_FORMAT}".`);
  const r = bundleMetadataSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new MetadataError('metadata.schema', `bundle.json field ${field}: ${issue.message}.`);
  }
  return r.data;
}

/** Every bundle path bundle.json refers to, with the field naming it. */
export function referencedPaths(m: BundleMetadata): { field: string; path: string }[] {
  const out: { field: string; path: string }[] = [];
  if (m.type === 'model-access') {
    if (m.model.card) out.push({ field: 'model.card', path: m.model.card });
    const a = m.model.access;
    if (a.kind === 'endpoint' && a.credential) out.push({ field: 'model.access.credential', path: a.credential });
    if (a.kind === 'weights') a.files.forEach((p, i) => out.push({ field: `model.access.files[${i}]`, path: p }));
  } else if (m.type === 'eval-package') {
    m.package.tasks.forEach((p, i) => out.push({ field: `package.tasks[${i}]`, path: p }));
  } else {
    out.push({ field: 'result.report', path: m.result.report }, { field: 'result.findings', path: m.result.findings });
    m.result.logs.forEach((p, i) => out.push({ field: `result.logs[${i}]`, path: p }));
  }
  return out;
}

export function summarizeMetadata(m: BundleMetadata): BundleSummary {
  return {
    id: m.id,
    type: m.type,
    title: m.title,
    issuer: m.issuer,
    series: m.series,
    sequence: m.sequence,
    classification: m.classification,
    issuedAt: m.issuedAt,
    notBefore: m.notBefore,
    notAfter: m.notAfter,
  };
}
