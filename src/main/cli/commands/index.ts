import type { CliCommand } from '../command';
import { importCommands } from './import';
import { trustCommands } from './trust';
import { vaultCommands } from './vault';
import { verifyCommand } from './verify';

/** Every `airlock` subcommand, in the order --help lists them. */
export const allCommands: readonly CliCommand[] = [verifyCommand, ...importCommands, ...trustCommands, ...vaultCommands];
