/**
 * `airlock identity …`: the vault keystore. `import` reads a PKCS#12 file (or
 * a PEM key with --cert/--chain) and seals its key under the identity's
 * password; `list` shows each identity with purposes and status.
 * Exit 0 done, 2 usage/IO/refused (refusals are AirlockErrors with identity.* codes).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../../shared/errors';
import { IdentityStore, type IdentityInfo, type IdentityList } from '../../services/identities';
import { EXIT, type CliCommand, type CliIO } from '../command';
import { readPassphrase, type PassphraseSource } from '../passphrase';
import { print, withVault } from '../vault-args';
import { identityImportSpec, identityListSpec } from './specs';

/** PKCS#12 files and PEM keys are a few kilobytes; a far larger file is the wrong file. */
const MAX_IDENTITY_FILE = 1 << 20;

export const IDENTITY_PASSWORD: PassphraseSource = { fileOption: 'password-file', envVar: 'AIRLOCK_P12_PASSWORD', prompt: 'Identity (PKCS#12) password: ' };

async function readIdentityFile(io: CliIO, p: string, what: string): Promise<Uint8Array> {
  const file = path.resolve(io.cwd, p);
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    throw new AirlockError('io.not-found', `Cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { path: file });
  }
  if (!st.isFile()) throw new AirlockError('io.not-a-file', `${file} is not a regular file.`, { path: file });
  if (st.size > MAX_IDENTITY_FILE)
    throw new AirlockError('identity.file-too-large', `${file} is ${st.size} bytes; a ${what} is a few kilobytes. Choose the right file.`, { path: file });
  return fs.readFile(file);
}

function describe(i: IdentityInfo): string[] {
  return [
    `  ${i.subject}`,
    `    id          ${i.id}`,
    `    issuer      ${i.issuer}`,
    `    serial      ${i.serial}`,
    `    key         ${i.keyType}`,
    `    valid       ${i.notBefore} – ${i.notAfter}`,
    `    purposes    ${i.purposes.length ? i.purposes.join(', ') : '(none)'}`,
    `    status      ${i.status}${i.statusReason ? ` — ${i.statusReason}` : ''}`,
  ];
}

export function formatIdentityList(l: IdentityList): string {
  if (l.identities.length === 0) return `No identities in this vault (at ${l.at}). Import one with "airlock identity import FILE.p12 --vault DIR".`;
  return [`Identities (${l.identities.length}, at ${l.at}):`, ...l.identities.flatMap(describe)].join('\n');
}

export const importIdentity: CliCommand = {
  ...identityImportSpec,
  async run(args, io) {
    if (args.positionals.length !== 1) throw new AirlockError('cli.usage', `Give exactly one identity file. Usage: airlock ${this.usage}`);
    const certOpt = args.values.cert;
    const chainOpt = args.values.chain;
    if (typeof chainOpt === 'string' && typeof certOpt !== 'string')
      throw new AirlockError('cli.usage', `--chain goes with a PEM key and --cert; a PKCS#12 file carries its own chain. Usage: airlock ${this.usage}`);
    // every file is read before anyone is asked for a passphrase or password (withVault checks the vault exists first too)
    const main = await readIdentityFile(io, args.positionals[0]!, typeof certOpt === 'string' ? 'private key file' : 'PKCS#12 file');
    const cert = typeof certOpt === 'string' ? await readIdentityFile(io, certOpt, 'certificate file') : undefined;
    const chain = typeof chainOpt === 'string' ? await readIdentityFile(io, chainOpt, 'chain file') : undefined;
    return withVault(args, io, this.usage, async (vault) => {
      const password = await readPassphrase(args, io, IDENTITY_PASSWORD);
      const source = path.basename(args.positionals[0]!);
      const store = new IdentityStore(vault);
      const info = cert
        ? await store.import({ kind: 'pem', key: main, certificate: cert, ...(chain ? { chain } : {}), password, source })
        : await store.import({ kind: 'pkcs12', bytes: main, password, source });
      print(io, args, { ok: true, identity: info }, ['Imported identity', ...describe(info)].join('\n'));
      return EXIT.ok;
    });
  },
};

export const listIdentities: CliCommand = {
  ...identityListSpec,
  async run(args, io) {
    if (args.positionals.length) throw new AirlockError('cli.usage', `Unexpected argument "${args.positionals[0]}". Usage: airlock ${this.usage}`);
    return withVault(args, io, this.usage, async (vault) => {
      const l = new IdentityStore(vault).list();
      print(io, args, l.identities, formatIdentityList(l));
      return EXIT.ok;
    });
  },
};

export const identityCommands: readonly CliCommand[] = [importIdentity, listIdentities];
