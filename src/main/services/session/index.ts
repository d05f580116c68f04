export { SessionManager, type LockReason, type SessionManagerOptions } from './session-manager';
export { VaultSession } from './vault-session';
