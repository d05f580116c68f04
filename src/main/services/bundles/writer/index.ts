/** The bundle writer: signed bundles (tar or directory) and co-signatures. See write-bundle.ts. */
export { writeBundle } from './write-bundle';
export type { WriteBundleOptions, WrittenBundle, WrittenFile, WriteProgress } from './write-bundle';
export { cosignBundle } from './cosign';
export type { CosignBundleOptions, CosignedBundle } from './cosign';
export type { BundleSource } from './layout';
export type { SigningIdentity, SigningDigest } from '../../pki';
