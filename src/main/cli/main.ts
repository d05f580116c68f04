/** Entry of the built CLI (out/cli/airlock.mjs, started by bin/airlock.mjs). */
import { runCli } from './cli';
import { allCommands } from './commands';
import { processIO } from './process-io';
import { version } from '../../../package.json';

runCli({ name: 'airlock', version, commands: allCommands }, process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`airlock: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
