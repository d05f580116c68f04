import { isAirlockError } from '../../../shared/errors';
import { passphraseStrength } from '../../../shared/passphrase-strength';
import { Vault } from '../../services/vault/index';
import { EXIT, type CliCommand } from '../command';
import { CURRENT_PASSPHRASE, readPassphrase, type PassphraseSource } from '../passphrase';
import { existingVaultDir, print, vaultDir } from '../vault-args';
import { vaultCheckSpec, vaultInitSpec, vaultPasswdSpec, vaultStatusSpec } from './specs';

const NEW_FOR_INIT: PassphraseSource = { ...CURRENT_PASSPHRASE, prompt: 'New vault passphrase: ', confirm: true };
const NEW_FOR_PASSWD: PassphraseSource = { fileOption: 'new-passphrase-file', envVar: 'AIRLOCK_NEW_PASSPHRASE', prompt: 'New passphrase: ', confirm: true };

export const init: CliCommand = {
  ...vaultInitSpec,
  async run(args, io) {
    const dir = vaultDir(args, io, this.usage);
    const pass = await readPassphrase(args, io, NEW_FOR_INIT);
    const operator = typeof args.values.operator === 'string' ? args.values.operator : undefined;
    const v = await Vault.create(dir, pass, operator ? { operator } : {});
    const st = v.status();
    v.lock();
    print(io, args, { ok: true, dir, vaultId: v.vaultId, schemaVersion: st.schemaVersion, strength: passphraseStrength(pass).score }, `Created vault ${dir} (schema ${st.schemaVersion}).`);
    return EXIT.ok;
  },
};

export const check: CliCommand = {
  ...vaultCheckSpec,
  async run(args, io) {
    const dir = existingVaultDir(args, io, this.usage);
    const pass = await readPassphrase(args, io);
    let v: Vault;
    try {
      v = await Vault.unlock(dir, pass);
    } catch (e) {
      if (isAirlockError(e) && e.code === 'vault.corrupt') {
        print(io, args, { ok: false, dir, integrity: e.message, error: { code: e.code, message: e.message } }, `BROKEN: ${e.message}`);
        return EXIT.negative;
      }
      throw e;
    }
    try {
      const r = v.check();
      const blobs = args.values.blobs === true ? await v.checkBlobs() : undefined;
      const ok = r.ok && r.integrity === 'ok' && (blobs?.bad.length ?? 0) === 0;
      const lines = [
        `${ok ? 'OK' : 'BROKEN'}: ${dir}`,
        `  database integrity: ${r.integrity}`,
        `  audit chain: ${r.ok ? `intact (${r.records} records)` : `broken at record ${r.firstBroken?.seq}: ${r.firstBroken?.reason}`}`,
        ...(blobs
          ? [
              `  blobs: ${blobs.checked - blobs.bad.length} of ${blobs.checked} intact`,
              ...blobs.bad.map((b) => `    ✗ ${b.sha384.slice(0, 16)}… [${b.code}] ${b.message}`),
            ]
          : []),
      ];
      print(
        io,
        args,
        { ok, dir, integrity: r.integrity, audit: { ok: r.ok, records: r.records, ...(r.firstBroken ? { firstBroken: r.firstBroken } : {}) }, ...(blobs ? { blobs } : {}) },
        lines.join('\n'),
      );
      return ok ? EXIT.ok : EXIT.negative;
    } finally {
      v.lock();
    }
  },
};

export const passwd: CliCommand = {
  ...vaultPasswdSpec,
  async run(args, io) {
    const dir = existingVaultDir(args, io, this.usage);
    const oldPass = await readPassphrase(args, io, { ...CURRENT_PASSPHRASE, prompt: 'Current passphrase: ' });
    const newPass = await readPassphrase(args, io, NEW_FOR_PASSWD);
    const v = await Vault.unlock(dir, oldPass);
    try {
      await v.changePassphrase(oldPass, newPass);
    } finally {
      v.lock();
    }
    print(io, args, { ok: true, dir }, `Passphrase changed for ${dir}.`);
    return EXIT.ok;
  },
};

export const status: CliCommand = {
  ...vaultStatusSpec,
  async run(args, io) {
    const dir = existingVaultDir(args, io, this.usage);
    const v = await Vault.unlock(dir, await readPassphrase(args, io));
    try {
      const s = v.status();
      const clock = v.clock.status();
      print(
        io,
        args,
        { ok: true, ...s, clock },
        [
          `Vault ${s.dir}`,
          `  created: ${s.createdAt}   schema: ${s.schemaVersion}   size: ${s.sizeBytes} bytes   auto-lock: ${s.autoLockMinutes} min`,
          `  last check: ${s.lastCheck ? `${s.lastCheck.at} ${s.lastCheck.ok ? 'ok' : 'BROKEN'} (${s.lastCheck.records} records)` : 'never'}`,
          `  clock: system ${clock.system}, high-water ${clock.highWater}${clock.behindMs ? ` (system clock is ${clock.behindMs} ms behind)` : ''}`,
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      v.lock();
    }
  },
};

export const vaultCommands: CliCommand[] = [init, check, passwd, status];
