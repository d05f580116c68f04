/**
 * Contract channel → service call, and service objects → JSON-safe DTOs.
 * Arguments arrive already validated by the router; results are validated
 * against the contract on the way out.
 */
import type { Handlers } from './router';
import type { AirlockServices } from '../services/airlock-services';
import type { AnchorInfo, TrustList } from '../services/trust/trust-store';
import type { AuditRecord } from '../services/vault';
import type { TrustStoreDto, VaultStatusDto, AuditRecordDto } from '../../shared/ipc/contract';
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
      const file = await services.chooseFile('Choose a bundle to import', [
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
    'bundles.list': () => services.unlocked().importer.list(),
    'bundles.report': ({ importId }) => {
      const report = services.unlocked().importer.report(importId);
      if (!report) throw new AirlockError('intake.not-found', `No import with id ${importId} is recorded in this vault.`);
      return report;
    },
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
