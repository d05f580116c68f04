/**
 * What each `airlock` command is (words, summary, usage, options) without what
 * it does: --help and the argument parser need only this, so the dispatcher
 * imports it and loads a command's implementation (and the services behind
 * it) only when that command runs. Each implementation spreads its spec here.
 * Imports nothing at run time.
 */
import type { CommandSpec } from '../command';

const vault = { vault: { type: 'string' } } as const;
const passphraseFile = { 'passphrase-file': { type: 'string' } } as const;

export const verifySpec: CommandSpec = {
  path: ['verify'],
  summary: 'Verify a bundle offline against trust anchors and CRLs (no vault).',
  usage: 'verify BUNDLE --anchors FILE|DIR [--crls FILE|DIR] [--at TIME] [--lab-id ID] [--json]',
  options: {
    anchors: { type: 'string' },
    crls: { type: 'string' },
    at: { type: 'string' },
    'lab-id': { type: 'string' },
  },
};

export const importSpec: CommandSpec = {
  path: ['import'],
  summary: 'Verify a bundle against the vault trust store and import it',
  usage: 'import BUNDLE --vault DIR [--passphrase-file FILE] [--json]',
  options: { ...vault, ...passphraseFile },
};

export const trustAddAnchorSpec: CommandSpec = {
  path: ['trust', 'add-anchor'],
  summary: 'Install a root certificate as a trust anchor for the given bundle types',
  usage: 'trust add-anchor CERT --types T1,T2|any --vault DIR [--label L] [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile, types: { type: 'string' }, label: { type: 'string' } },
};

export const trustRemoveAnchorSpec: CommandSpec = {
  path: ['trust', 'remove-anchor'],
  summary: 'Remove a trust anchor by its SHA-256 fingerprint',
  usage: 'trust remove-anchor FINGERPRINT --vault DIR [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile },
};

export const trustAddCrlSpec: CommandSpec = {
  path: ['trust', 'add-crl'],
  summary: 'Import a CRL file (PEM with one or more CRLs, or DER)',
  usage: 'trust add-crl CRL --vault DIR [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile },
};

export const trustListSpec: CommandSpec = {
  path: ['trust', 'list'],
  summary: 'List trust anchors, CRLs (with freshness) and the lab id',
  usage: 'trust list --vault DIR [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile },
};

export const trustSetLabIdSpec: CommandSpec = {
  path: ['trust', 'set-lab-id'],
  summary: "Set this lab's identifier (checked against a bundle's audience)",
  usage: 'trust set-lab-id ID --vault DIR [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile },
};

export const vaultInitSpec: CommandSpec = {
  path: ['vault', 'init'],
  summary: 'Create a new encrypted vault in an empty folder',
  usage: 'vault init --vault DIR [--operator NAME] [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile, operator: { type: 'string' } },
};

export const vaultCheckSpec: CommandSpec = {
  path: ['vault', 'check'],
  summary: 'Verify the vault database integrity and the audit hash chain (--blobs: every stored blob too)',
  usage: 'vault check --vault DIR [--blobs] [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile, blobs: { type: 'boolean' } },
};

export const vaultPasswdSpec: CommandSpec = {
  path: ['vault', 'passwd'],
  summary: 'Change the vault passphrase (re-wraps the key; data is not re-encrypted)',
  usage: 'vault passwd --vault DIR [--passphrase-file FILE] [--new-passphrase-file FILE]',
  options: { ...vault, ...passphraseFile, 'new-passphrase-file': { type: 'string' } },
};

export const vaultStatusSpec: CommandSpec = {
  path: ['vault', 'status'],
  summary: 'Show vault size, schema version, last check and clock status',
  usage: 'vault status --vault DIR [--passphrase-file FILE]',
  options: { ...vault, ...passphraseFile },
};

export const identityImportSpec: CommandSpec = {
  path: ['identity', 'import'],
  summary:
    "Import a person's or the lab's identity into the vault keystore: a PKCS#12 file, or a PEM/DER key with --cert (and --chain); " +
    'its password (--password-file, AIRLOCK_P12_PASSWORD or a no-echo prompt) seals the key',
  usage: 'identity import FILE --vault DIR [--cert FILE] [--chain FILE] [--password-file FILE] [--passphrase-file FILE] [--json]',
  options: { ...vault, ...passphraseFile, cert: { type: 'string' }, chain: { type: 'string' }, 'password-file': { type: 'string' } },
};

export const identityListSpec: CommandSpec = {
  path: ['identity', 'list'],
  summary: 'List the identities in the vault keystore with purposes and status (valid, expired, revoked, not-chained)',
  usage: 'identity list --vault DIR [--passphrase-file FILE] [--json]',
  options: { ...vault, ...passphraseFile },
};
