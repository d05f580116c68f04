/**
 * Main's own dialogs, the only source of file grants: the OS file picker, and
 * the confirmation of a dropped item (the renderer's report of a drop grants
 * nothing by itself). Type-only Electron imports; main.ts passes the real
 * `dialog`, tests a recording fake.
 */
import path from 'node:path';
import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';
import type { DroppedItem, FileDialogs, FileFilter } from '../services/files';

/**
 * Control characters, line separators and invisible format characters (bidi
 * overrides among them) in a file name could forge lines or reorder text in
 * the question; show them as U+FFFD instead.
 */
export function displayable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '\uFFFD');
}

export function formatSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return u === 0 ? exact : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]} (${exact})`;
}

/** The question main asks about a dropped item: its name, folder and size; Cancel is the default. */
export function dropConfirmation(item: DroppedItem): MessageBoxOptions {
  const name = displayable(path.basename(item.path));
  const folder = displayable(path.dirname(item.path));
  return {
    type: 'question',
    title: 'Import dropped item',
    message: `Import “${name}”?`,
    detail: [
      item.kind === 'folder' ? 'A bundle folder.' : `Size: ${formatSize(item.size)}`,
      `Folder: ${folder}`,
      '',
      'Airlock verifies the bundle before it stores anything. Choose Import only if you dropped this item on Airlock yourself.',
    ].join('\n'),
    buttons: ['Import', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

const IMPORT_BUTTON = 0;

export function createFileDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showMessageBox'>, getWindow: () => BrowserWindow | undefined): FileDialogs {
  return {
    async pickFile(title: string, filters: FileFilter[]) {
      const options: OpenDialogOptions = { title, properties: ['openFile'], filters };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
    async confirmDroppedFile(item: DroppedItem) {
      // Modal to the window the item was dropped on; with no window there was no drop to confirm.
      const window = getWindow();
      if (!window) return false;
      const { response } = await dialog.showMessageBox(window, dropConfirmation(item));
      return response === IMPORT_BUTTON;
    },
  };
}
