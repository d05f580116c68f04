/**
 * Every `airlock` subcommand, in the order --help lists them. The registry
 * holds each command's spec and a loader: a command's implementation — and the
 * services, crypto and SQLite behind it — is imported when that command runs,
 * so `--help`, `--version` and usage errors load almost nothing (the build
 * splits each dynamic import into its own chunk).
 */
import type { CliCommand, CommandSpec } from '../command';
import * as spec from './specs';

function lazy(s: CommandSpec, load: () => Promise<CliCommand>): CliCommand {
  return {
    ...s,
    async run(args, io) {
      return (await load()).run(args, io);
    },
  };
}

export const allCommands: readonly CliCommand[] = [
  lazy(spec.verifySpec, async () => (await import('./verify')).verifyCommand),
  lazy(spec.importSpec, async () => (await import('./import')).importCommand),
  lazy(spec.trustAddAnchorSpec, async () => (await import('./trust')).addAnchor),
  lazy(spec.trustRemoveAnchorSpec, async () => (await import('./trust')).removeAnchor),
  lazy(spec.trustAddCrlSpec, async () => (await import('./trust')).addCrl),
  lazy(spec.trustListSpec, async () => (await import('./trust')).list),
  lazy(spec.trustSetLabIdSpec, async () => (await import('./trust')).setLabId),
  lazy(spec.identityImportSpec, async () => (await import('./identity')).importIdentity),
  lazy(spec.identityListSpec, async () => (await import('./identity')).listIdentities),
  lazy(spec.vaultInitSpec, async () => (await import('./vault')).init),
  lazy(spec.vaultCheckSpec, async () => (await import('./vault')).check),
  lazy(spec.vaultPasswdSpec, async () => (await import('./vault')).passwd),
  lazy(spec.vaultStatusSpec, async () => (await import('./vault')).status),
];
