/**
 * What main takes from its environment at start-up, decided by pure functions
 * (facts and file access are injected) so the rules are unit-tested without
 * Electron. The rule: a packaged build runs only what it shipped and reads no
 * AIRLOCK_* variable; the variables exist for development and the test tiers
 * (the Electron smoke suite runs the unpackaged app).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export interface StartupFacts {
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  argv: readonly string[];
  /** app.getPath('userData') */
  userDataPath: string;
  /** process.resourcesPath: where electron-builder's extraResources land. */
  resourcesPath: string;
  /** app.getAppPath(): the repository root when unpackaged. */
  appPath: string;
}

export interface StartupFiles {
  exists(file: string): boolean;
  /** The file's bytes, or undefined when it cannot be read. */
  read(file: string): Uint8Array | undefined;
}

export const SQLITE_MODULE_FILE = 'better_sqlite3.node';

/** Devtools and other development conveniences: never in a packaged build, whatever the environment says. */
export function isDevelopmentBuild(f: StartupFacts): boolean {
  return !f.isPackaged && f.env.NODE_ENV !== 'production';
}

/**
 * The vault's folder. Packaged: always userData/vault — a variable set by
 * someone else (a login script, a shortcut) must not point the app at a
 * vault prepared elsewhere. Unpackaged: AIRLOCK_VAULT_DIR for the test tiers.
 */
export function vaultDirFor(f: StartupFacts): string {
  const fromEnv = f.env.AIRLOCK_VAULT_DIR;
  return !f.isPackaged && fromEnv ? fromEnv : path.join(f.userDataPath, 'vault');
}

export type SqliteModuleDecision =
  /** path undefined: the module's default (node_modules' build), unpackaged only. */
  | { ok: true; path: string | undefined }
  | { ok: false; code: 'app.native-module-unpinned' | 'app.native-module-missing' | 'app.native-module-modified'; message: string };

const REINSTALL = 'The installation was changed or damaged: reinstall Airlock from the lab’s approved installer. The vault was not opened.';

/**
 * Which SQLite native module main loads. Packaged: only the shipped
 * resources/native/better_sqlite3.node, and only when its SHA-384 equals the
 * digest pinned into the (ASAR-integrity-covered) main bundle at build time —
 * the module is the one piece of code outside the asar, and it sees the
 * vault's data key. Unpackaged: AIRLOCK_SQLITE_BINDING, else the Electron-ABI
 * build in build/native if present, else the module's default.
 *
 * The check reads the file once, then the loader reads it again by path: a
 * swap in between needs write access to the installation folder, which is
 * enough to replace the Electron executable itself, so it is not a weaker spot.
 */
export function sqliteModuleFor(f: StartupFacts, pinnedSha384: string | null, files: StartupFiles): SqliteModuleDecision {
  if (!f.isPackaged) {
    const fromEnv = f.env.AIRLOCK_SQLITE_BINDING;
    if (fromEnv) return { ok: true, path: fromEnv };
    const built = path.join(f.appPath, 'build', 'native', SQLITE_MODULE_FILE);
    return { ok: true, path: files.exists(built) ? built : undefined };
  }
  const shipped = path.join(f.resourcesPath, 'native', SQLITE_MODULE_FILE);
  if (!pinnedSha384 || !/^[0-9a-f]{96}$/.test(pinnedSha384)) {
    return {
      ok: false,
      code: 'app.native-module-unpinned',
      message: `This build of Airlock carries no digest for its SQLite module (build/native was missing when it was built), so it cannot check ${shipped}. Rebuild with \`npm run dist\`. The vault was not opened.`,
    };
  }
  const bytes = files.read(shipped);
  if (!bytes) {
    return { ok: false, code: 'app.native-module-missing', message: `Airlock’s SQLite module ${shipped} is missing or unreadable. ${REINSTALL}` };
  }
  const actual = createHash('sha384').update(bytes).digest('hex');
  if (actual !== pinnedSha384) {
    return {
      ok: false,
      code: 'app.native-module-modified',
      message: `Airlock’s SQLite module ${shipped} is not the one this build shipped (SHA-384 ${actual.slice(0, 16)}…, expected ${pinnedSha384.slice(0, 16)}…). ${REINSTALL}`,
    };
  }
  return { ok: true, path: shipped };
}

/**
 * Command-line switches that would hand control of a packaged app to another
 * process: Chromium's remote debugging (a DevTools endpoint into the renderer,
 * and through it the IPC API) and Node's inspector (also disabled by fuse).
 * Returns the offending arguments; empty when the app may start.
 */
export function refusedSwitches(f: StartupFacts): string[] {
  if (!f.isPackaged) return [];
  return f.argv.filter((a) => /^--(remote-debugging-(port|pipe|address)|remote-allow-origins|inspect(-brk|-port|-publish-uid)?)(=|$)/.test(a));
}
