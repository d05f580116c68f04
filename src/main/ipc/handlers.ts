/**
 * Contract channel → service call, and service objects → JSON-safe DTOs.
 * Arguments arrive already validated by the router; results are validated
 * against the contract on the way out.
 */
import type { Handlers } from './router';
import type { AirlockServices } from '../services/airlock-services';
import type { AnchorInfo, TrustList } from '../services/trust/trust-store';
import type { AuditRecord } from '../services/vault';
import type { TrustStoreDto, VaultStatusDto, AuditRecordDto, EngagementDto, EvalTaskDto, EvalSampleDto, WindowState } from '../../shared/ipc/contract';
import type { Engagement, EvalSample, EvalTask } from '../services/intake/catalog';
import type { Json } from '../services/intake/eval-package';
import { BUNDLE_TYPES } from '../../shared/verification';
import { AirlockError } from '../../shared/errors';

export function createHandlers(services: AirlockServices): Handlers {
  const vaultStatus = (): VaultStatusDto => {
    const vault = services.vault;
    if (!vault) {
      return {
        dir: services.vaultDir,
        exists: services.vaultExists(),
        locked: true,
        sizeBytes: null,
        createdAt: null,
        schemaVersion: null,
        autoLockMinutes: 0,
        lastCheck: null,
        operator: null,
        remembered: services.isRemembered(),
        remember: services.rememberSupport(),
      };
    }
    const s = vault.status();
    return {
      dir: s.dir,
      exists: true,
      locked: false,
      sizeBytes: s.sizeBytes,
      createdAt: s.createdAt,
      schemaVersion: s.schemaVersion,
      autoLockMinutes: s.autoLockMinutes,
      lastCheck: s.lastCheck ?? null,
      operator: vault.operatorName,
      remembered: services.isRemembered(),
      remember: services.rememberSupport(),
    };
  };
  const trustList = (): TrustStoreDto => trustDto(services.unlocked().trust.list());

  return {
    'app.info': () => ({
      name: 'Airlock',
      version: services.options.version,
      platform: services.options.platform,
      vaultDir: services.vaultDir,
      vaultExists: services.vaultExists(),
    }),

    'vault.status': vaultStatus,
    'vault.create': async ({ passphrase, operator }) => {
      await services.createVault(passphrase, operator);
      return vaultStatus();
    },
    'vault.unlock': async ({ passphrase }) => {
      await services.unlockVault(passphrase);
      return vaultStatus();
    },
    'vault.unlockRemembered': async () => {
      await services.unlockRemembered();
      return vaultStatus();
    },
    'vault.remember': ({ enabled }) => {
      services.setRemembered(enabled);
      return vaultStatus();
    },
    'vault.lock': () => {
      services.lockVault();
      return vaultStatus();
    },
    'vault.changePassphrase': async ({ current, next }) => {
      await services.unlocked().vault.changePassphrase(current, next);
      return vaultStatus();
    },
    'vault.check': () => {
      const r = services.unlocked().vault.check();
      return { ok: r.ok, integrity: r.integrity, records: r.records, firstBroken: r.firstBroken ?? null };
    },
    'vault.checkBlobs': () => services.unlocked().vault.checkBlobs(),
    'vault.setAutoLock': ({ minutes }) => {
      services.unlocked().vault.setAutoLockMinutes(minutes);
      return vaultStatus();
    },
    'vault.touch': () => {
      services.vault?.touch();
      return null;
    },

    'audit.list': ({ limit, beforeSeq }) =>
      services.unlocked().vault.audit.list({ limit, ...(beforeSeq ? { before: beforeSeq } : {}) }).map(auditDto),

    'trust.list': trustList,
    'trust.addAnchor': async ({ types, label }) => {
      await services.addAnchorFromPicker(types, label);
      return trustList();
    },
    'trust.removeAnchor': ({ id }) => {
      services.unlocked().trust.removeAnchor(id);
      return trustList();
    },
    'trust.addCrl': async () => {
      await services.addCrlFromPicker();
      return trustList();
    },
    'trust.setLabId': ({ labId }) => {
      services.unlocked().trust.setLabId(labId);
      return trustList();
    },

    'bundles.chooseFile': async () => {
      services.unlocked();
      const file = await services.chooseBundle('Choose a bundle to import', [
        { name: 'Airlock bundles', extensions: ['tar'] },
        { name: 'All files', extensions: ['*'] },
      ]);
      return file ? { path: file } : null;
    },
    'bundles.import': async ({ path }) => {
      const r = await services.importBundle(path);
      return { outcome: r.outcome, importId: r.importId ?? null, report: r.report ?? null };
    },
    'bundles.cancel': () => services.cancelImport(),
    'files.grantDropped': ({ path }) => {
      services.grant(path);
      return null;
    },
    'bundles.list': () => services.unlocked().catalog.list(),
    'bundles.report': ({ importId }) => {
      const report = services.unlocked().catalog.report(importId);
      if (!report) throw new AirlockError('intake.not-found', `No import with id ${importId} is recorded in this vault.`);
      return report;
    },

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

function auditDto(r: AuditRecord): AuditRecordDto {
  return { seq: r.seq, time: r.time, actor: r.actor, action: r.action, target: r.target, outcome: r.outcome, detail: r.detail, hash: r.hash };
}

function anchorDto(a: AnchorInfo): TrustStoreDto['anchors'][number] {
  return {
    id: a.fingerprint,
    label: a.label,
    types: a.types === 'any' ? [...BUNDLE_TYPES] : a.types,
    certificate: {
      subject: a.subject,
      issuer: a.subject,
      serialNumber: a.serialNumber,
      notBefore: a.notBefore,
      notAfter: a.notAfter,
      sha256Fingerprint: a.fingerprint,
      keyAlgorithm: a.keyAlgorithm,
    },
    addedAt: a.addedAt,
    crl: a.crl ? { number: a.crl.number, thisUpdate: a.crl.thisUpdate, nextUpdate: a.crl.nextUpdate, fresh: a.crl.fresh } : null,
  };
}

function trustDto(list: TrustList): TrustStoreDto {
  return { labId: list.labId, anchors: list.anchors.map(anchorDto), crlCount: list.crls.length };
}
