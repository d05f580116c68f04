/**
 * The typed IPC contract: for every channel, the schema of its argument and of
 * its result. Main validates both directions with these (src/main/ipc/router.ts);
 * the renderer gets its types from them. Payloads are JSON-safe DTOs only.
 */
import { z } from 'zod';
import type { Channel } from './channels';
import { MODEL_CARD_MAX_BYTES } from '../limits';
import { BUNDLE_TYPES, certificateSummarySchema, verificationReportSchema } from '../verification';
import { IDENTIFIER_PATTERN, LAB_ID_RULE } from '../identifiers';

const iso = z.string().min(1).max(64);
const passphrase = z.string().min(1, 'Enter a passphrase.').max(1024, 'Passphrases are limited to 1024 characters.');
const filePath = z.string().min(1).max(4096);
const bundleType = z.enum(BUNDLE_TYPES);
const noArgs = z.undefined();

export const appInfoDto = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  vaultDir: z.string(),
  vaultExists: z.boolean(),
});

export const vaultStatusDto = z.object({
  dir: z.string(),
  exists: z.boolean(),
  locked: z.boolean(),
  sizeBytes: z.number().nullable(),
  createdAt: iso.nullable(),
  schemaVersion: z.number().nullable(),
  autoLockMinutes: z.number(),
  lastCheck: z.object({ at: iso, ok: z.boolean(), records: z.number() }).nullable(),
  operator: z.string().nullable(),
  /** "Remember on this machine": whether a key is stored, and whether the OS key store can protect one. */
  remembered: z.boolean(),
  remember: z.object({ available: z.boolean(), backend: z.string().nullable(), reason: z.string().nullable() }),
});

export const vaultCheckDto = z.object({
  ok: z.boolean(),
  integrity: z.string(),
  records: z.number(),
  firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
});

export const auditRecordDto = z.object({
  seq: z.number(),
  time: iso,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  detail: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});

export const certificateSummaryDto = certificateSummarySchema;

export const trustAnchorDto = z.object({
  id: z.string(),
  label: z.string(),
  types: z.array(bundleType),
  certificate: certificateSummaryDto,
  addedAt: iso,
  crl: z
    .object({ number: z.string().nullable(), thisUpdate: iso, nextUpdate: iso.nullable(), fresh: z.boolean() })
    .nullable(),
});

export const trustStoreDto = z.object({
  labId: z.string().nullable(),
  anchors: z.array(trustAnchorDto),
  crlCount: z.number(),
});

/** The verifier's report, validated with the schema it is declared by (src/shared/verification.ts). */
export const verificationReportDto = verificationReportSchema;

export const importOutcomeDto = z.object({
  /** 'imported' new content; 'already-imported' a no-op re-import; 'rejected' nothing but the record kept. */
  outcome: z.enum(['imported', 'already-imported', 'rejected', 'cancelled']),
  importId: z.string().nullable(),
  report: verificationReportDto.nullable(),
});

export const importedBundleDto = z.object({
  importId: z.string(),
  bundleId: z.string(),
  type: bundleType,
  title: z.string(),
  series: z.string(),
  sequence: z.number(),
  classification: z.string(),
  verdict: z.enum(['accepted', 'rejected']),
  importedAt: iso,
  source: z.string(),
});

export const progressEventDto = z.object({
  bytesDone: z.number(),
  bytesTotal: z.number(),
  filesDone: z.number(),
  filesTotal: z.number(),
  bytesPerSecond: z.number(),
});

const rowId = z.string().min(1).max(200);

/** The access window at the vault's trusted clock: before start, inside, after end. */
export const windowStateSchema = z.enum(['not-started', 'open', 'closed']);

/** A model-access bundle as an engagement. Never carries credential material: only whether one is held. */
export const engagementDto = z.object({
  id: z.string(),
  importId: z.string(),
  bundle: z.object({ title: z.string(), classification: z.string() }),
  classification: z.string(),
  model: z.object({ developer: z.string(), name: z.string(), version: z.string() }),
  window: z.object({
    start: iso,
    end: iso,
    state: windowStateSchema,
    /** The trusted-clock time the state was computed at. */
    at: iso,
    /** Whole days until the window opens (not-started) or closes (open); null when closed. */
    days: z.number().int().nullable(),
  }),
  access: z.object({
    kind: z.enum(['endpoint', 'weights']),
    api: z.string().nullable(),
    baseUrl: z.string().nullable(),
    model: z.string().nullable(),
    hasCredential: z.boolean(),
    weightsFormat: z.string().nullable(),
    weightFiles: z.array(z.object({ path: z.string(), size: z.number(), sha384: z.string() })),
  }),
  hasCard: z.boolean(),
});

export const evalTaskDto = z.object({
  id: z.string(),
  importId: z.string(),
  bundleTitle: z.string(),
  packageName: z.string(),
  packageVersion: z.string(),
  path: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  datasetPath: z.string(),
  sampleCount: z.number().int(),
  /** Short renderings ("multiple_choice", "choice(temperature=0)"). */
  solvers: z.array(z.string()),
  scorers: z.array(z.string()),
  metrics: z.array(z.string()),
  epochs: z.number().nullable(),
  epochReducer: z.string().nullable(),
  classification: z.string(),
});

export const SAMPLES_PAGE_MAX = 200;

export const evalSampleDto = z.object({
  ordinal: z.number().int(),
  id: z.string(),
  /** The input as text: a string as is, chat messages as "role: content" lines; truncated when long. */
  input: z.string(),
  inputTruncated: z.boolean(),
  target: z.string().nullable(),
  choices: z.array(z.string()).nullable(),
  /** Values rendered as short strings. */
  metadata: z.record(z.string(), z.string()).nullable(),
});

export const samplesPageDto = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  items: z.array(evalSampleDto),
});

export { MODEL_CARD_MAX_BYTES };
export const modelCardDto = z.object({ path: z.string(), markdown: z.string() }).nullable();

/** channel → [argument schema, result schema]. Every channel in channels.ts must appear here. */
export const CONTRACT = {
  'app.info': { args: noArgs, result: appInfoDto },

  'vault.status': { args: noArgs, result: vaultStatusDto },
  'vault.create': {
    args: z.strictObject({ passphrase, operator: z.string().min(1).max(200) }),
    result: vaultStatusDto,
  },
  'vault.unlock': { args: z.strictObject({ passphrase }), result: vaultStatusDto },
  /** Unlock with the data key kept by the OS key store (safeStorage); refused where that store is plaintext. */
  'vault.unlockRemembered': { args: noArgs, result: vaultStatusDto },
  'vault.remember': { args: z.strictObject({ enabled: z.boolean() }), result: vaultStatusDto },
  'vault.lock': { args: noArgs, result: vaultStatusDto },
  'vault.changePassphrase': {
    args: z.strictObject({ current: passphrase, next: passphrase }),
    result: vaultStatusDto,
  },
  'vault.check': { args: noArgs, result: vaultCheckDto },
  /** Deep check: every blob decrypted, authenticated and re-hashed (slow on large vaults). */
  'vault.checkBlobs': {
    args: noArgs,
    result: z.object({ checked: z.number(), bad: z.array(z.object({ sha384: z.string(), code: z.string(), message: z.string() })) }),
  },
  'vault.setAutoLock': {
    args: z.strictObject({ minutes: z.number().int().min(1).max(240) }),
    result: vaultStatusDto,
  },
  'vault.touch': { args: noArgs, result: z.null() },

  'audit.list': {
    args: z.strictObject({
      limit: z.number().int().min(1).max(500),
      beforeSeq: z.number().int().positive().optional(),
    }),
    result: z.array(auditRecordDto),
  },

  'trust.list': { args: noArgs, result: trustStoreDto },
  'trust.addAnchor': {
    args: z.strictObject({ label: z.string().min(1).max(200).optional(), types: z.array(bundleType).min(1) }),
    result: trustStoreDto,
  },
  'trust.removeAnchor': { args: z.strictObject({ id: z.string().min(1).max(200) }), result: trustStoreDto },
  'trust.addCrl': { args: noArgs, result: trustStoreDto },
  'trust.setLabId': {
    args: z.strictObject({ labId: z.string().regex(IDENTIFIER_PATTERN, LAB_ID_RULE) }),
    result: trustStoreDto,
  },

  /** Opens the OS file picker in main; the renderer never supplies arbitrary paths for trust material. */
  'bundles.chooseFile': { args: noArgs, result: z.object({ path: filePath }).nullable() },
  /** `path` must come from chooseFile or a drop the user confirmed in main's dialog (files.dropped); others are refused. */
  'bundles.import': { args: z.strictObject({ path: filePath }), result: importOutcomeDto },
  'bundles.cancel': { args: noArgs, result: z.boolean() },
  /** A dropped file: main asks the user to confirm it in its own dialog; only then may it be imported. */
  'files.dropped': { args: z.strictObject({ path: filePath }), result: z.object({ granted: z.boolean() }) },
  'bundles.list': { args: noArgs, result: z.array(importedBundleDto) },
  'bundles.report': { args: z.strictObject({ importId: z.string().min(1).max(200) }), result: verificationReportDto },

  /** Accepted model-access bundles as engagements, window state at the vault's trusted clock. */
  'content.engagements': { args: noArgs, result: z.array(engagementDto) },
  /** Eval tasks of every accepted eval package, or of one import. */
  'content.tasks': { args: z.strictObject({ importId: rowId.optional() }), result: z.array(evalTaskDto) },
  'content.samples': {
    args: z.strictObject({
      taskId: rowId,
      offset: z.number().int().min(0).max(100_000_000),
      limit: z.number().int().min(1).max(SAMPLES_PAGE_MAX),
    }),
    result: samplesPageDto,
  },
  /** The engagement's model card (Markdown, at most 1 MiB), or null when the bundle has none. */
  'content.modelCard': { args: z.strictObject({ engagementId: rowId }), result: modelCardDto },
} as const satisfies Record<Channel, { args: z.ZodType; result: z.ZodType }>;

export type Contract = typeof CONTRACT;
export type ArgsOf<C extends Channel> = z.input<Contract[C]['args']>;
export type ResultOf<C extends Channel> = z.output<Contract[C]['result']>;

export type AppInfo = z.output<typeof appInfoDto>;
export type VaultStatusDto = z.output<typeof vaultStatusDto>;
export type VaultCheckDto = z.output<typeof vaultCheckDto>;
export type BlobCheckDto = z.output<(typeof CONTRACT)['vault.checkBlobs']['result']>;
export type AuditRecordDto = z.output<typeof auditRecordDto>;
export type TrustStoreDto = z.output<typeof trustStoreDto>;
export type TrustAnchorDto = z.output<typeof trustAnchorDto>;
export type VerificationReportDto = z.output<typeof verificationReportDto>;
export type ImportOutcomeDto = z.output<typeof importOutcomeDto>;
export type ImportedBundleDto = z.output<typeof importedBundleDto>;
export type ProgressEventDto = z.output<typeof progressEventDto>;
export type EngagementDto = z.output<typeof engagementDto>;
export type WindowState = z.output<typeof windowStateSchema>;
export type EvalTaskDto = z.output<typeof evalTaskDto>;
export type EvalSampleDto = z.output<typeof evalSampleDto>;
export type SamplesPageDto = z.output<typeof samplesPageDto>;
export type ModelCardDto = z.output<typeof modelCardDto>;

export const EVENT_PAYLOADS = {
  'vault.locked': z.object({ reason: z.enum(['idle', 'manual']) }),
  'bundles.progress': progressEventDto,
} as const;
