/**
 * Identities: the vault keystore (people's and the lab's certificates with
 * their private keys sealed under the holder's password). Findings, approvals,
 * report signatures and the model-access credential use these.
 */
export { IdentityStore, identityStatus, purposesOf } from './identity-store';
export type { IdentityInfo, IdentityInput, IdentityList, IdentityPurpose, IdentityStatus, IdentityStoreOptions } from './identity-store';
export { IDENTITY_SCRYPT } from './seal';
export type { SealKdf } from './seal';
