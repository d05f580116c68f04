/**
 * Where the CLI gets passphrases, in order:
 *   1. --passphrase-file FILE   (one trailing newline stripped: "\n" or "\r\n")
 *   2. env AIRLOCK_PASSPHRASE
 *   3. io.promptSecret (no echo; rejects without a TTY)
 * New passphrases (init, passwd) use --new-passphrase-file / AIRLOCK_NEW_PASSPHRASE
 * for passwd, and are asked twice when prompted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AirlockError } from '../../shared/errors';
import type { CliIO, ParsedArgs } from './command';

export interface PassphraseSource {
  /** Option name holding a file path, e.g. 'passphrase-file'. */
  fileOption: string;
  /** Environment variable, e.g. 'AIRLOCK_PASSPHRASE'. */
  envVar: string;
  prompt: string;
  /** Ask twice and compare when prompting (for new passphrases). */
  confirm?: boolean;
}

export const CURRENT_PASSPHRASE: PassphraseSource = { fileOption: 'passphrase-file', envVar: 'AIRLOCK_PASSPHRASE', prompt: 'Vault passphrase: ' };

export function stripOneNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
}

export async function readPassphrase(args: ParsedArgs, io: CliIO, src: PassphraseSource = CURRENT_PASSPHRASE): Promise<string> {
  const file = args.values[src.fileOption];
  if (typeof file === 'string') {
    const p = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch (e) {
      throw new AirlockError('cli.passphrase-file', `Cannot read the passphrase file ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Check the path given to --${src.fileOption}.`, { file: p });
    }
    const pass = stripOneNewline(text);
    if (!pass) throw new AirlockError('cli.passphrase-empty', `The passphrase file ${p} is empty. Put the passphrase on its first line.`, { file: p });
    return pass;
  }
  const env = io.env[src.envVar];
  if (env !== undefined && env !== '') return env;
  let first: string;
  try {
    first = await io.promptSecret(src.prompt);
  } catch {
    throw new AirlockError(
      'cli.no-passphrase',
      `No passphrase given and no terminal to ask for one. Use --${src.fileOption} FILE or set ${src.envVar}.`,
    );
  }
  if (!first) throw new AirlockError('cli.passphrase-empty', 'The passphrase is empty. Enter a passphrase.');
  if (src.confirm) {
    const again = await io.promptSecret('Repeat to confirm: ').catch(() => '');
    if (again !== first) throw new AirlockError('cli.passphrase-mismatch', 'The two passphrases differ. Run the command again and type the same passphrase twice.');
  }
  return first;
}
