/**
 * Which files main may read on the renderer's behalf. A path is granted only
 * by main's own UI: the OS file picker, or the user's confirmation (in a
 * native dialog main shows) of a file they dropped on the window. The
 * renderer can report a drop, but its report alone grants nothing, so a
 * compromised renderer cannot aim main at the file system.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AirlockError } from '../../../shared/errors';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** What the platform (Electron's dialogs in the app) offers. */
export interface FileDialogs {
  /** The OS file picker; undefined when cancelled. */
  pickFile(title: string, filters: FileFilter[]): Promise<string | undefined>;
  /** Ask, in main's own native dialog, whether to import a dropped file or folder. */
  confirmDroppedFile(item: DroppedItem): Promise<boolean>;
}

export interface DroppedItem {
  /** Absolute path. */
  path: string;
  /** Bundles are tar files or folders (spec §1). */
  kind: 'file' | 'folder';
  /** Bytes, for a file. */
  size: number;
}

/** Trust material (certificates, CRLs) is small: anything larger is the wrong file. */
const TRUST_FILE_MAX = 16 * 1024 * 1024;

export class FileGrants {
  private readonly granted = new Set<string>();

  constructor(private readonly dialogs: FileDialogs) {}

  /** The OS picker; what the user picks may then be read. */
  async choose(title: string, filters: FileFilter[]): Promise<string | undefined> {
    const file = await this.dialogs.pickFile(title, filters);
    if (file) this.granted.add(path.resolve(file));
    return file;
  }

  /**
   * The renderer reports a dropped file. Main asks the user to confirm it in a
   * native dialog; only then may it be read. Returns whether it was granted.
   */
  async offerDropped(file: string): Promise<boolean> {
    const abs = path.resolve(file);
    const st = await stat(abs).catch(() => undefined);
    // Only regular files and folders can be bundles; nothing else is worth a question.
    if (!st || !(st.isFile() || st.isDirectory())) return false;
    if (!(await this.dialogs.confirmDroppedFile({ path: abs, kind: st.isFile() ? 'file' : 'folder', size: st.isFile() ? st.size : 0 }))) return false;
    this.granted.add(abs);
    return true;
  }

  isGranted(file: string): boolean {
    return this.granted.has(path.resolve(file));
  }

  /** A granted file, or a clear refusal (and a clear error when it has gone). */
  async requireGranted(file: string): Promise<string> {
    if (!this.isGranted(file)) {
      throw new AirlockError(
        'intake.not-chosen',
        `Airlock imports only what you choose with “Choose bundle…” or drop on its window and confirm; ${file} was neither. Choose it again.`,
      );
    }
    await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw new AirlockError(
        'io.not-found',
        e.code === 'ENOENT'
          ? `${file} does not exist. Check that the removable medium is mounted and choose the bundle again.`
          : `Cannot read ${file} (${e.code ?? e.message}). Check the medium and its permissions, then try again.`,
      );
    });
    return file;
  }

  /** Pick a certificate or CRL file and read it (small files only). */
  async pickTrustMaterial(title: string, filters: FileFilter[]): Promise<{ file: string; bytes: Uint8Array } | undefined> {
    const file = await this.dialogs.pickFile(title, filters);
    if (!file) return undefined;
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new AirlockError('io.read', `Could not read ${file}: ${e.code ?? e.message}. Check the file and try again.`);
    });
    if (bytes.byteLength > TRUST_FILE_MAX) {
      throw new AirlockError('trust.file-too-large', `${file} is ${bytes.byteLength} bytes; certificates and CRLs are far smaller. Choose the right file.`);
    }
    return { file, bytes };
  }

  /** Forget every grant (the session ended). */
  clear(): void {
    this.granted.clear();
  }
}
