/**
 * "Remember on this machine" through Electron safeStorage. Refused (by the
 * vault) where the OS backend is plaintext: on Linux without a keyring
 * safeStorage falls back to `basic_text`, which protects nothing.
 */
import type { SafeStorage } from 'electron';
import type { SecretProtector } from '../services/vault';

export function createSafeStorageProtector(safeStorage: SafeStorage): SecretProtector {
  const backend = () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform === 'darwin' ? 'keychain' : 'dpapi');
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    backend,
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
