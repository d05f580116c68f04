import type { VaultStatusDto } from '../../../shared/ipc/contract';
import type { AirlockServices } from '../../services/airlock-services';
import type { GroupHandlers } from '../router';

export function vaultStatus(services: AirlockServices): VaultStatusDto {
  const common = { remembered: services.isRemembered(), remember: services.rememberSupport() };
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
      ...common,
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
    ...common,
  };
}

export function vaultHandlers(services: AirlockServices): GroupHandlers<'vault'> {
  const status = () => vaultStatus(services);
  return {
    'vault.status': status,
    'vault.create': async ({ passphrase, operator }) => {
      await services.createVault(passphrase, operator);
      return status();
    },
    'vault.unlock': async ({ passphrase }) => {
      await services.unlockVault(passphrase);
      return status();
    },
    'vault.unlockRemembered': async () => {
      await services.unlockRemembered();
      return status();
    },
    'vault.remember': ({ enabled }) => {
      services.setRemembered(enabled);
      return status();
    },
    'vault.lock': async () => {
      await services.lockVault();
      return status();
    },
    'vault.changePassphrase': async ({ current, next }) => {
      await services.unlocked().vault.changePassphrase(current, next);
      return status();
    },
    'vault.check': () => {
      const r = services.unlocked().vault.check();
      return { ok: r.ok, integrity: r.integrity, records: r.records, firstBroken: r.firstBroken ?? null };
    },
    'vault.checkBlobs': () => {
      const { vault, jobs } = services.unlocked();
      return jobs.run('vault-check', () => vault.checkBlobs());
    },
    'vault.setAutoLock': ({ minutes }) => {
      services.unlocked().vault.setAutoLockMinutes(minutes);
      return status();
    },
    'vault.touch': () => {
      services.vault?.touch();
      return null;
    },
  };
}
