/**
 * What main takes from its environment (startup.ts) and main's own dialogs
 * (dialogs.ts), with injected facts, files and a recording dialog fake.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BrowserWindow, MessageBoxOptions, OpenDialogOptions } from 'electron';
import { isDevelopmentBuild, refusedSwitches, sqliteModuleFor, vaultDirFor, type StartupFacts, type StartupFiles } from '../../../src/main/electron/startup';
import { createFileDialogs, displayable, dropConfirmation, formatSize } from '../../../src/main/electron/dialogs';

const facts = (over: Partial<StartupFacts> = {}): StartupFacts => ({
  isPackaged: true,
  env: {},
  argv: ['/opt/Airlock/airlock'],
  userDataPath: '/home/officer/.config/Airlock',
  resourcesPath: '/opt/Airlock/resources',
  appPath: '/opt/Airlock/resources/app.asar',
  ...over,
});

const hostileEnv = {
  AIRLOCK_VAULT_DIR: '/tmp/planted-vault',
  AIRLOCK_SQLITE_BINDING: '/tmp/evil.node',
  NODE_ENV: 'development',
};

const shipped = Buffer.from('the Electron-ABI SQLite module, as built');
const shippedSha = crypto.createHash('sha384').update(shipped).digest('hex');
const SHIPPED_PATH = '/opt/Airlock/resources/native/better_sqlite3.node';

function files(contents: Record<string, Uint8Array>): StartupFiles & { read_: string[] } {
  const read_: string[] = [];
  return {
    read_,
    exists: (f) => f in contents,
    read: (f) => {
      read_.push(f);
      return contents[f];
    },
  };
}

describe('packaged builds ignore the environment', () => {
  it('vault folder: always userData/vault when packaged; AIRLOCK_VAULT_DIR only unpackaged (test tiers)', () => {
    expect(vaultDirFor(facts({ env: hostileEnv }))).toBe('/home/officer/.config/Airlock/vault');
    expect(vaultDirFor(facts({ isPackaged: false, env: hostileEnv }))).toBe('/tmp/planted-vault');
    expect(vaultDirFor(facts({ isPackaged: false }))).toBe('/home/officer/.config/Airlock/vault');
  });

  it('development conveniences (devtools) never in a packaged build, whatever NODE_ENV says', () => {
    expect(isDevelopmentBuild(facts({ env: hostileEnv }))).toBe(false);
    expect(isDevelopmentBuild(facts({ isPackaged: false, env: { NODE_ENV: 'development' } }))).toBe(true);
    expect(isDevelopmentBuild(facts({ isPackaged: false, env: { NODE_ENV: 'production' } }))).toBe(false);
  });
});

describe('SQLite native module', () => {
  it('packaged: loads the shipped module when its SHA-384 is the pinned one, and never the one AIRLOCK_SQLITE_BINDING names', () => {
    const fs = files({ [SHIPPED_PATH]: shipped, '/tmp/evil.node': Buffer.from('evil') });
    expect(sqliteModuleFor(facts({ env: hostileEnv }), shippedSha, fs)).toEqual({ ok: true, path: SHIPPED_PATH });
    expect(fs.read_).toEqual([SHIPPED_PATH]);
  });

  it('packaged: a modified module is refused with a clear message naming the file and what to do', () => {
    const d = sqliteModuleFor(facts(), shippedSha, files({ [SHIPPED_PATH]: Buffer.concat([shipped, Buffer.from([0])]) }));
    expect(d).toMatchObject({ ok: false, code: 'app.native-module-modified' });
    expect(d.ok || d.message).toMatch(/better_sqlite3\.node is not the one this build shipped.*reinstall Airlock.*vault was not opened/i);
  });

  it('packaged: a missing module, or a build with no pinned digest, is refused too', () => {
    expect(sqliteModuleFor(facts(), shippedSha, files({}))).toMatchObject({ ok: false, code: 'app.native-module-missing' });
    for (const pin of [null, '', 'abc', shippedSha.toUpperCase()]) {
      const d = sqliteModuleFor(facts(), pin, files({ [SHIPPED_PATH]: shipped }));
      expect(d, String(pin)).toMatchObject({ ok: false, code: 'app.native-module-unpinned' });
      expect(d.ok || d.message).toMatch(/npm run dist/);
    }
  });

  it('unpackaged: AIRLOCK_SQLITE_BINDING, else build/native if it exists, else the module default; nothing is hashed', () => {
    const dev = facts({ isPackaged: false, appPath: '/work/airlock' });
    const built = '/work/airlock/build/native/better_sqlite3.node';
    const fs = files({ [built]: Buffer.from('x') });
    expect(sqliteModuleFor({ ...dev, env: { AIRLOCK_SQLITE_BINDING: '/x/y.node' } }, null, fs)).toEqual({ ok: true, path: '/x/y.node' });
    expect(sqliteModuleFor(dev, null, fs)).toEqual({ ok: true, path: built });
    expect(sqliteModuleFor(dev, null, files({}))).toEqual({ ok: true, path: undefined });
    expect(fs.read_).toEqual([]);
  });
});

describe('command-line switches', () => {
  it('a packaged app refuses remote debugging and the inspector; unpackaged (tests, development) allows them', () => {
    const argv = ['/opt/Airlock/airlock', '--remote-debugging-port=9222', '--no-sandbox-is-not-this', '--inspect', '--remote-debugging-pipe', '--remote-allow-origins=*', '--inspect-brk=0', 'bundle.tar'];
    expect(refusedSwitches(facts({ argv }))).toEqual(['--remote-debugging-port=9222', '--inspect', '--remote-debugging-pipe', '--remote-allow-origins=*', '--inspect-brk=0']);
    expect(refusedSwitches(facts())).toEqual([]);
    expect(refusedSwitches(facts({ isPackaged: false, argv }))).toEqual([]);
  });
});

describe("main's dialogs", () => {
  const window = { id: 1 } as unknown as BrowserWindow;
  function fakeDialog(response: number) {
    const calls: { kind: string; window: unknown; options: MessageBoxOptions | OpenDialogOptions }[] = [];
    const dialog = {
      showMessageBox: async (w: unknown, options: MessageBoxOptions) => {
        calls.push({ kind: 'message', window: w, options });
        return { response, checkboxChecked: false };
      },
      showOpenDialog: async (w: unknown, options?: OpenDialogOptions) => {
        calls.push({ kind: 'open', window: options ? w : undefined, options: options ?? (w as OpenDialogOptions) });
        return { canceled: false, filePaths: ['/media/usb/picked.tar'] };
      },
    };
    return { dialog: dialog as never, calls };
  }

  it('asks about a dropped file in a dialog modal to the window: name, folder, size; Import grants, Cancel is the default', async () => {
    const yes = fakeDialog(0);
    const dialogs = createFileDialogs(yes.dialog, () => window);
    expect(await dialogs.confirmDroppedFile({ path: '/media/usb/lab-7/bundle.tar', kind: 'file', size: 1_234_567 })).toBe(true);
    const { window: modalTo, options } = yes.calls[0]! as { window: unknown; options: MessageBoxOptions };
    expect(modalTo).toBe(window);
    expect(options).toMatchObject({ type: 'question', buttons: ['Import', 'Cancel'], defaultId: 1, cancelId: 1, message: 'Import “bundle.tar”?' });
    expect(options.detail).toContain('Folder: /media/usb/lab-7');
    expect(options.detail).toContain('Size: 1.23 MB (1,234,567 bytes)');

    const no = fakeDialog(1);
    expect(await createFileDialogs(no.dialog, () => window).confirmDroppedFile({ path: '/media/usb/b', kind: 'folder', size: 0 })).toBe(false);
    expect((no.calls[0]!.options as MessageBoxOptions).detail).toContain('A bundle folder.');
  });

  it('with no window there is nothing to confirm: no dialog, no grant', async () => {
    const yes = fakeDialog(0);
    expect(await createFileDialogs(yes.dialog, () => undefined).confirmDroppedFile({ path: '/a/b.tar', kind: 'file', size: 1 })).toBe(false);
    expect(yes.calls).toEqual([]);
  });

  it('a file name cannot forge lines or reorder the question (control and bidi characters are shown as U+FFFD)', () => {
    const o = dropConfirmation({ path: '/media/usb/evil\nFolder: C:\\Users\\officer\u202Eraj.tar', kind: 'file', size: 10 });
    expect(o.message).toBe('Import “evil\uFFFDFolder: C:\\Users\\officer\uFFFDraj.tar”?');
    expect(o.detail!.split('\n').filter((l) => l.startsWith('Folder:'))).toEqual(['Folder: /media/usb']);
    expect(displayable('ok name.tar')).toBe('ok name.tar');
  });

  it('the file picker is modal to the window and returns the chosen path', async () => {
    const d = fakeDialog(0);
    expect(await createFileDialogs(d.dialog, () => window).pickFile('Choose a bundle', [{ name: 'Bundles', extensions: ['tar'] }])).toBe('/media/usb/picked.tar');
    expect(d.calls[0]).toMatchObject({ kind: 'open', window, options: { title: 'Choose a bundle', properties: ['openFile'] } });
  });

  it('formats sizes for people, with the exact byte count', () => {
    expect(formatSize(999)).toBe('999 bytes');
    expect(formatSize(1_000)).toBe('1.00 KB (1,000 bytes)');
    expect(formatSize(42_900_000_000)).toBe('42.9 GB (42,900,000,000 bytes)');
  });
});
