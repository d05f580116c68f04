/**
 * `airlock trust …`: manage the vault's trust anchors, CRLs and lab id.
 * Exit 0 done, 2 usage/IO/refused (refusals are AirlockErrors with a trust.* code).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../../shared/errors';
import { TrustStore, type TrustList } from '../../services/trust';
import { EXIT, type CliCommand, type CliIO, type ParsedArgs } from '../command';
import { print, withVault } from '../vault-args';
import { trustAddAnchorSpec, trustAddCrlSpec, trustListSpec, trustRemoveAnchorSpec, trustSetLabIdSpec } from './specs';

const MAX_TRUST_FILE = 16 << 20;

function onePositional(args: ParsedArgs, what: string, usage: string): string {
  if (args.positionals.length !== 1) throw new AirlockError('cli.usage', `Give exactly one ${what}. Usage: airlock ${usage}`);
  return args.positionals[0]!;
}

export async function readInputFile(io: CliIO, p: string): Promise<{ file: string; bytes: Uint8Array }> {
  const file = path.resolve(io.cwd, p);
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    throw new AirlockError('io.not-found', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { path: file });
  }
  if (!st.isFile()) throw new AirlockError('io.not-a-file', `${file} is not a regular file.`, { path: file });
  if (st.size > MAX_TRUST_FILE) throw new AirlockError('trust.file-too-large', `${file} is ${st.size} bytes; certificates and CRLs are far smaller. Choose the right file.`, { path: file });
  return { file, bytes: await fs.readFile(file) };
}

export function formatTrustList(l: TrustList): string {
  const lines = [`Trust store (at ${l.at}); lab id: ${l.labId ?? '(not set)'}`, `Anchors (${l.anchors.length}):`];
  for (const a of l.anchors) {
    lines.push(`  ${a.label}`);
    lines.push(`    subject     ${a.subject}`);
    lines.push(`    sha-256     ${a.fingerprint}`);
    lines.push(`    valid       ${a.notBefore} – ${a.notAfter}${a.expired ? '  EXPIRED' : ''} (${a.keyAlgorithm})`);
    lines.push(`    types       ${a.types === 'any' ? 'any' : a.types.join(', ')}`);
    lines.push(
      `    crl         ${a.crl ? `#${a.crl.number ?? '-'} ${a.crl.thisUpdate} – ${a.crl.nextUpdate ?? '(no nextUpdate)'} ${a.crl.fresh ? 'fresh' : 'STALE'}` : 'none imported'}`,
    );
  }
  lines.push(`CRLs (${l.crls.length}):`);
  for (const c of l.crls)
    lines.push(`  ${c.fresh ? 'fresh' : 'STALE'}  #${c.number ?? '-'}  ${c.issuer}  ${c.thisUpdate} – ${c.nextUpdate ?? '(none)'}${c.verifiedBy ? '' : '  (signature checked at verification)'}`);
  if (l.intermediates.length) {
    lines.push(`Known intermediates (${l.intermediates.length}):`);
    for (const i of l.intermediates) lines.push(`  ${i.subject}  ${i.fingerprint}`);
  }
  return lines.join('\n');
}

export const addAnchor: CliCommand = {
  ...trustAddAnchorSpec,
  async run(args, io) {
    const cert = onePositional(args, 'certificate file', this.usage);
    const t = args.values.types;
    if (typeof t !== 'string' || !t) throw new AirlockError('cli.usage', `Missing --types (e.g. model-access,eval-package or any). Usage: airlock ${this.usage}`);
    const { bytes } = await readInputFile(io, cert);
    return withVault(args, io, this.usage, async (vault) => {
      const label = typeof args.values.label === 'string' ? args.values.label : undefined;
      const a = new TrustStore(vault).addAnchor(bytes, { types: t === 'any' ? 'any' : t.split(','), ...(label ? { label } : {}) });
      print(io, args, { ok: true, anchor: a }, `Added trust anchor "${a.label}"\n  subject ${a.subject}\n  sha-256 ${a.fingerprint}\n  types   ${a.types === 'any' ? 'any' : a.types.join(', ')}`);
      return EXIT.ok;
    });
  },
};

export const removeAnchor: CliCommand = {
  ...trustRemoveAnchorSpec,
  async run(args, io) {
    const fp = onePositional(args, 'fingerprint', this.usage);
    return withVault(args, io, this.usage, async (vault) => {
      new TrustStore(vault).removeAnchor(fp);
      print(io, args, { ok: true, removed: fp }, `Removed trust anchor ${fp}.`);
      return EXIT.ok;
    });
  },
};

export const addCrl: CliCommand = {
  ...trustAddCrlSpec,
  async run(args, io) {
    const { file, bytes } = await readInputFile(io, onePositional(args, 'CRL file', this.usage));
    return withVault(args, io, this.usage, async (vault) => {
      const r = new TrustStore(vault).addCrls(bytes, { source: file });
      print(
        io,
        args,
        { ok: true, crls: r.added },
        r.added.map((c) => `CRL #${c.number ?? '-'} from ${c.issuer}: ${c.thisUpdate} – ${c.nextUpdate ?? '(none)'} (${c.fresh ? 'fresh' : 'STALE'})`).join('\n'),
      );
      return EXIT.ok;
    });
  },
};

export const list: CliCommand = {
  ...trustListSpec,
  async run(args, io) {
    if (args.positionals.length) throw new AirlockError('cli.usage', `Unexpected argument "${args.positionals[0]}". Usage: airlock ${this.usage}`);
    return withVault(args, io, this.usage, async (vault) => {
      const l = new TrustStore(vault).list();
      print(io, args, { ok: true, ...l }, formatTrustList(l));
      return EXIT.ok;
    });
  },
};

export const setLabId: CliCommand = {
  ...trustSetLabIdSpec,
  async run(args, io) {
    const id = onePositional(args, 'lab identifier', this.usage);
    return withVault(args, io, this.usage, async (vault) => {
      new TrustStore(vault).setLabId(id);
      print(io, args, { ok: true, labId: id }, `Lab id set to ${id}.`);
      return EXIT.ok;
    });
  },
};

export const trustCommands: readonly CliCommand[] = [addAnchor, removeAnchor, addCrl, list, setLabId];
