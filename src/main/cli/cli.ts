/**
 * The `airlock` command line: the same services as the app, without a window.
 * For intake stations (scripted verification), CI and benchmarks.
 */
import { parseArgs } from 'node:util';
import { AirlockError, isAirlockError } from '../../shared/errors';
import { EXIT, type CliCommand, type CliIO } from './command';

export interface CliProgram {
  name: string;
  version: string;
  commands: readonly CliCommand[];
}

function helpText(program: CliProgram): string {
  const width = Math.max(...program.commands.map((c) => c.path.join(' ').length));
  const lines = program.commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    `${program.name} ${program.version} — verify, import and export Airlock bundles offline`,
    '',
    `Usage: ${program.name} <command> [options]`,
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    '  --json       print exactly one JSON document on stdout',
    '  --help, -h   show help (for a command: airlock <command> --help)',
    '  --version    print the version',
    '',
    'Exit codes: 0 success · 1 the verdict is negative (rejected, broken) · 2 usage or environment error',
  ].join('\n');
}

function commandHelp(program: CliProgram, command: CliCommand): string {
  const opts = Object.entries(command.options).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '    ';
    return `  ${short}--${name}${o.type === 'string' ? ' VALUE' : ''}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [`Usage: ${program.name} ${command.usage}`, '', command.summary, '', 'Options:', ...opts, '  --json', '  --help'].join('\n');
}

function findCommand(commands: readonly CliCommand[], argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  let best: { command: CliCommand; rest: string[] } | undefined;
  for (const command of commands) {
    const n = command.path.length;
    if (argv.length >= n && command.path.every((w, i) => argv[i] === w) && (!best || n > best.command.path.length)) {
      best = { command, rest: argv.slice(n) };
    }
  }
  return best;
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function runCli(program: CliProgram, argv: string[], io: CliIO): Promise<number> {
  const wantsJson = argv.includes('--json');
  const report = (error: { code: string; message: string; detail?: unknown }) => {
    if (wantsJson) io.out(JSON.stringify({ ok: false, error }, null, 2));
    else io.err(`${program.name}: ${error.message}${error.code ? ` [${error.code}]` : ''}`);
  };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(helpText(program));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.out(wantsJson ? JSON.stringify({ name: program.name, version: program.version }) : program.version);
    return EXIT.ok;
  }
  const found = findCommand(program.commands, argv);
  // A group name alone ("airlock trust", "airlock trust --help"): list that group's commands.
  const group = !found && argv[0] ? program.commands.filter((c) => c.path.length > 1 && c.path[0] === argv[0]) : [];
  if (group.length && argv.slice(1).every((a) => a.startsWith('-'))) {
    const asked = argv.includes('--help') || argv.includes('-h');
    const text = [`Commands of "${argv[0]}":`, ...group.map((c) => `  ${program.name} ${c.usage}`), '', `${program.name} <command> --help shows a command's options.`].join('\n');
    if (asked) io.out(text);
    else io.err(text);
    return asked ? EXIT.ok : EXIT.usage;
  }
  if (!found) {
    report({ code: 'cli.unknown-command', message: `Unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}". Run "${program.name} --help" for the list.` });
    return EXIT.usage;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(program, command));
    return EXIT.ok;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const { json, ...values } = parsed.values as Record<string, string | boolean | string[] | undefined>;
    return await command.run({ values, positionals: parsed.positionals, json: json === true }, io);
  } catch (error) {
    if (isAirlockError(error)) {
      report({ code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) });
      return EXIT.usage;
    }
    const nodeCode = (error as { code?: string }).code;
    if (typeof nodeCode === 'string' && nodeCode.startsWith('ERR_PARSE_ARGS')) {
      report({ code: 'cli.usage', message: `${(error as Error).message}. Usage: ${program.name} ${command.usage}` });
      return EXIT.usage;
    }
    report({
      code: 'internal',
      message: `Unexpected error: ${(error as Error)?.message ?? String(error)}. Nothing was committed.`,
    });
    return EXIT.usage;
  }
}

export function usageError(message: string): AirlockError {
  return new AirlockError('cli.usage', message);
}
