/**
 * OS-backed secret protection for "remember on this machine". The Electron
 * glue implements it with `safeStorage`; tests use a fake. Services never
 * import electron.
 */
export interface SecretProtector {
  isAvailable(): boolean;
  /** e.g. 'gnome_libsecret', 'kwallet5', 'keychain', 'dpapi', 'basic_text'. */
  backend(): string;
  encrypt(buf: Buffer): Buffer;
  decrypt(buf: Buffer): Buffer;
}

/** Backends that do not actually protect the secret (Electron's basic_text is a hard-coded key). */
export const INSECURE_BACKENDS = new Set(['basic_text', 'plaintext', 'plain', 'none', 'unknown', '']);
