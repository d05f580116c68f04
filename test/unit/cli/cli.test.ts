import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, type CliProgram } from '../../../src/main/cli/cli';
import { allCommands } from '../../../src/main/cli/commands';
import { EXIT, type CliCommand, type CliIO } from '../../../src/main/cli/command';
import { AirlockError } from '../../../src/shared/errors';

const root = path.resolve(__dirname, '../../..');

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: {},
    cwd: root,
    promptSecret: () => Promise.reject(new AirlockError('cli.no-tty', 'no tty')),
  };
  return { io, out, err };
}

const echo: CliCommand = {
  path: ['echo'],
  summary: 'Echo test command',
  usage: 'echo [--fail] [--boom] WORDS...',
  options: { fail: { type: 'boolean' }, boom: { type: 'boolean' } },
  async run(args, io) {
    if (args.values.boom) throw new AirlockError('usage', 'The test exploded. Do something else.');
    io.out(args.json ? JSON.stringify({ words: args.positionals }) : args.positionals.join(' '));
    return args.values.fail ? EXIT.negative : EXIT.ok;
  },
};
const program: CliProgram = { name: 'airlock', version: '9.9.9', commands: [echo] };

describe('airlock CLI dispatcher', () => {
  it('prints help with every command and the exit-code convention', async () => {
    const { io, out } = fakeIO();
    expect(await runCli({ ...program, commands: allCommands }, ['--help'], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Exit codes: 0 success · 1 .* · 2 usage/);
    for (const c of allCommands) expect(text).toContain(c.path.join(' '));
  });

  it('a group name alone lists that group\'s commands (exit 0 with --help, 2 without)', async () => {
    const a = fakeIO();
    expect(await runCli({ ...program, commands: allCommands }, ['trust', '--help'], a.io)).toBe(EXIT.ok);
    const listed = a.out.join('\n');
    const trust = allCommands.filter((c) => c.path[0] === 'trust');
    expect(trust.length).toBeGreaterThan(3);
    for (const c of trust) expect(listed).toContain(`airlock ${c.usage}`);
    expect(listed).not.toContain('vault init');
    const b = fakeIO();
    expect(await runCli({ ...program, commands: allCommands }, ['identity'], b.io)).toBe(EXIT.usage);
    expect(b.err.join('\n')).toMatch(/Commands of "identity":\n {2}airlock identity import FILE/);
    // a real unknown word is still an unknown command
    const c = fakeIO();
    expect(await runCli({ ...program, commands: allCommands }, ['trust', 'frobnicate'], c.io)).toBe(EXIT.usage);
    expect(c.err.join('')).toMatch(/Unknown command "trust frobnicate"/);
  });

  it('no arguments prints help and exits 2 (usage)', async () => {
    const { io, out } = fakeIO();
    expect(await runCli(program, [], io)).toBe(EXIT.usage);
    expect(out.join('')).toContain('Usage: airlock <command>');
  });

  it('prints the version, as JSON with --json', async () => {
    const a = fakeIO();
    expect(await runCli(program, ['--version'], a.io)).toBe(0);
    expect(a.out).toEqual(['9.9.9']);
    const b = fakeIO();
    await runCli(program, ['--version', '--json'], b.io);
    expect(JSON.parse(b.out[0]!)).toEqual({ name: 'airlock', version: '9.9.9' });
  });

  it('maps outcomes to exit codes 0, 1 and 2', async () => {
    expect(await runCli(program, ['echo', 'hi'], fakeIO().io)).toBe(EXIT.ok);
    expect(await runCli(program, ['echo', '--fail'], fakeIO().io)).toBe(EXIT.negative);
    const boom = fakeIO();
    expect(await runCli(program, ['echo', '--boom'], boom.io)).toBe(EXIT.usage);
    expect(boom.err.join('')).toBe('airlock: The test exploded. Do something else. [usage]');
  });

  it('reports unknown commands and unknown options as usage errors', async () => {
    const a = fakeIO();
    expect(await runCli(program, ['frobnicate'], a.io)).toBe(EXIT.usage);
    expect(a.err.join('')).toMatch(/Unknown command "frobnicate"/);
    const b = fakeIO();
    expect(await runCli(program, ['echo', '--nope'], b.io)).toBe(EXIT.usage);
    expect(b.err.join('')).toMatch(/Unknown option '--nope'.*Usage: airlock echo/);
  });

  it('with --json, errors are one JSON document on stdout', async () => {
    const { io, out } = fakeIO();
    expect(await runCli(program, ['echo', '--boom', '--json'], io)).toBe(EXIT.usage);
    expect(JSON.parse(out.join(''))).toEqual({ ok: false, error: { code: 'usage', message: 'The test exploded. Do something else.' } });
  });
});

// bin/airlock.mjs builds out/cli first when it is missing or stale (test/unit/cli/launcher.test.ts)
describe('the `airlock` bin', () => {
  it('runs in plain Node: --help and --version', () => {
    const help = execFileSync(process.execPath, [path.join(root, 'bin/airlock.mjs'), '--help'], { encoding: 'utf8' });
    expect(help).toContain('Usage: airlock <command>');
    const version = execFileSync(process.execPath, [path.join(root, 'bin/airlock.mjs'), '--version'], { encoding: 'utf8' }).trim();
    expect(version).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  }, 120_000);

  it('exits 2 on an unknown command', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/airlock.mjs'), 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown command/);
  });
});
