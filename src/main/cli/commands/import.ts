/**
 * `airlock import BUNDLE --vault DIR [--passphrase-file FILE] [--json]`
 * Verify a bundle against the vault's trust store and import it.
 * Exit 0 imported / already imported, 1 rejected, 2 usage/IO/wrong passphrase/cancelled.
 */
import path from 'node:path';
import { AirlockError } from '../../../shared/errors';
import { BundleImporter } from '../../services/intake';
import { TrustStore } from '../../services/trust';
import { EXIT, type CliCommand } from '../command';
import { formatReport } from './verify';
import { withVault } from '../vault-args';
import { importSpec } from './specs';

export const importCommand: CliCommand = {
  ...importSpec,
  async run(args, io) {
    if (args.positionals.length !== 1) throw new AirlockError('cli.usage', `Give exactly one bundle (a .tar file or a directory). Usage: airlock ${this.usage}`);
    const source = path.resolve(io.cwd, args.positionals[0]!);
    return withVault(args, io, this.usage, async (vault) => {
      const trust = new TrustStore(vault);
      const r = await new BundleImporter(vault, trust).import(source);
      if (args.json) io.out(JSON.stringify({ ok: r.outcome === 'imported' || r.outcome === 'already-imported', ...r }, null, 2));
      else {
        const head =
          r.outcome === 'imported'
            ? `IMPORTED as ${r.importId}`
            : r.outcome === 'already-imported'
              ? `ALREADY IMPORTED as ${r.importId} (nothing changed)`
              : r.outcome === 'rejected'
                ? `NOT IMPORTED (rejection recorded as ${r.importId})${r.error ? `: ${r.error.message}` : ''}`
                : 'CANCELLED: nothing was kept';
        io.out(`${r.report ? formatReport(r.report) : ''}${head}`);
      }
      if (r.outcome === 'imported' || r.outcome === 'already-imported') return EXIT.ok;
      if (r.outcome === 'rejected') return EXIT.negative;
      return EXIT.usage;
    });
  },
};

export const importCommands: readonly CliCommand[] = [importCommand];
export default importCommand;
