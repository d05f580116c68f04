import type { ParseArgsConfig } from 'node:util';

/** Exit codes, the same for every subcommand (documented in --help). */
export const EXIT = {
  /** The operation succeeded (e.g. bundle accepted, chain intact). */
  ok: 0,
  /** The operation ran and its verdict is negative (bundle rejected, audit chain broken). */
  negative: 1,
  /** Usage error, or the environment prevents the operation (missing file, wrong passphrase, I/O). */
  usage: 2,
} as const;

/** Everything a command touches outside its arguments, so tests can drive commands in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Ask for a secret on the terminal without echo. Rejects when no TTY is attached. */
  promptSecret(prompt: string): Promise<string>;
  /** Current working directory to resolve relative paths against. */
  cwd: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** True when --json was given: print exactly one JSON document on stdout. */
  json: boolean;
}

export interface CliCommand {
  /** Words that select this command, e.g. ['vault', 'init'] or ['verify']. */
  path: readonly string[];
  summary: string;
  /** Usage line(s) after `airlock `, e.g. 'vault init --vault DIR [--passphrase-file FILE]'. */
  usage: string;
  /** node:util parseArgs option spec (do not declare --json or --help; they are global). */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Return an EXIT code. Throw AirlockError for usage/environment errors (exit 2). */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** A command without its implementation: enough for --help and the argument parser (commands/specs.ts). */
export type CommandSpec = Omit<CliCommand, 'run'>;
