/** What every vault-using command shares: --vault, the existence check, unlocking, output. */
import path from 'node:path';
import { AirlockError } from '../../shared/errors';
import { Vault } from '../services/vault/index';
import type { CliIO, ParsedArgs } from './command';
import { readPassphrase } from './passphrase';

/** The --vault DIR argument, resolved against the working directory. */
export function vaultDir(args: ParsedArgs, io: CliIO, usage: string): string {
  const v = args.values.vault;
  if (typeof v !== 'string' || !v) throw new AirlockError('cli.usage', `Missing --vault DIR. Usage: airlock ${usage}`);
  return path.resolve(io.cwd, v);
}

/** Like vaultDir, but the vault must exist — checked before anyone is asked for a passphrase. */
export function existingVaultDir(args: ParsedArgs, io: CliIO, usage: string): string {
  const dir = vaultDir(args, io, usage);
  if (!Vault.exists(dir)) {
    throw new AirlockError('vault.missing', `There is no Airlock vault at ${dir}. Check the path, or create one with "airlock vault init --vault ${dir}".`, { dir });
  }
  return dir;
}

/** Unlock the vault named by --vault, run fn, and lock it again whatever happens. */
export async function withVault<T>(args: ParsedArgs, io: CliIO, usage: string, fn: (vault: Vault) => Promise<T>): Promise<T> {
  const dir = existingVaultDir(args, io, usage);
  const vault = await Vault.unlock(dir, await readPassphrase(args, io));
  try {
    return await fn(vault);
  } finally {
    vault.lock();
  }
}

/** One JSON document with --json, else the human text. */
export function print(io: CliIO, args: ParsedArgs, json: unknown, text: string): void {
  io.out(args.json ? JSON.stringify(json, null, 2) : text);
}
