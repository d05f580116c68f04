/**
 * Every error code Airlock reports to a person or a script: AirlockError codes
 * thrown by services, the IPC layer's own codes and the renderer's form checks.
 * One registry, so a code cannot be invented in one place and unknown in
 * another; tests, the CLI's --json output and the renderer match on these.
 * (A bundle's verification failures are the report's FailureCodes, in
 * verification.ts.) Never reuse a code for a different meaning.
 */
export const ERROR_CODES = {
  // whole-operation
  cancelled: 'The operation was cancelled; nothing from it was kept.',
  internal: 'An unexpected error; the message carries an incident id for the log.',
  usage: 'A command or call was used wrongly.',
  // IPC boundary
  'ipc.unknown-channel': 'The renderer called a channel that does not exist.',
  'ipc.forbidden-sender': "A call came from something other than Airlock's own main frame.",
  'ipc.invalid-arguments': 'Arguments did not match the IPC contract.',
  'ipc.invalid-result': 'A handler produced a result that violates the IPC contract.',
  // files and I/O
  'io.error': 'A read or write failed.',
  'io.not-found': 'The file does not exist (medium not mounted?).',
  'io.not-a-file': 'The path is not a regular file.',
  'io.read': 'The file could not be read.',
  // vault
  'vault.missing': 'No vault exists yet.',
  'vault.exists': 'A vault already exists at that place.',
  'vault.locked': 'The vault is locked.',
  'vault.wrong-passphrase': 'The passphrase does not unlock this vault.',
  'vault.weak-passphrase': 'The passphrase is too weak to protect a vault.',
  'vault.mismatch': 'The vault files do not belong together.',
  'vault.corrupt': 'The vault database is damaged.',
  'vault.io': 'The vault folder could not be read or written.',
  'vault.dir-not-empty': 'The chosen vault folder is not empty.',
  'vault.not-a-directory': 'The vault path is not a folder.',
  'vault.not-found': 'No vault at that place.',
  'vault.keyfile-corrupt': 'The vault key file is damaged.',
  'vault.keyfile-newer': 'The vault key file was written by a newer Airlock.',
  'vault.schema-newer': 'The vault was written by a newer Airlock.',
  'vault.migration-failed': 'Upgrading the vault failed; nothing was changed.',
  'vault.bad-setting': 'A vault setting is out of range.',
  'vault.not-remembered': 'This vault is not remembered on this machine.',
  'vault.remember-failed': "The OS key store could not unlock the remembered key.",
  'vault.remember-unavailable': 'This machine offers no OS key store.',
  'vault.remember-insecure': 'The OS key store here offers no real protection.',
  // blobs
  'blob.not-found': 'A stored blob is missing.',
  'blob.missing': 'A stored blob file is missing.',
  'blob.corrupt': 'A stored blob failed authentication.',
  'blob.truncated': 'A stored blob is truncated.',
  'blob.too-large': 'A blob is larger than the caller allows.',
  'blob.bad-staging': 'A staged blob does not match what was promised.',
  'blob.bad-staging-path': 'A staged blob path is outside the vault.',
  // trust store
  'trust.bad-certificate': 'The file is not a usable certificate.',
  'trust.bad-anchor': 'The certificate cannot be a trust anchor.',
  'trust.not-ca': 'The certificate is not a CA certificate.',
  'trust.not-self-signed': 'The certificate is not self-signed (an intermediate or end-entity).',
  'trust.expired': 'The certificate has expired.',
  'trust.not-yet-valid': 'The certificate is not valid yet.',
  'trust.weak-key': 'The key is below the CNSA floor.',
  'trust.weak-algorithm': 'The signature algorithm is below the CNSA floor.',
  'trust.critical-extension': 'The certificate has a critical extension that a trust anchor may not carry.',
  'trust.duplicate': 'That anchor is already installed.',
  'trust.anchor-not-found': 'No such anchor is installed.',
  'trust.bad-types': 'The bundle types for an anchor are invalid.',
  'trust.bad-crl': 'The file is not a usable CRL.',
  'trust.crl-bad-signature': "The CRL is not signed by an installed issuer's key.",
  'trust.crl-weak-algorithm': 'The CRL uses an algorithm below the CNSA floor.',
  'trust.crl-rollback': 'The CRL is older than one already installed.',
  'trust.crl-refused': 'The CRL was refused.',
  'trust.anchor-refused': 'The anchor was refused.',
  'trust.bad-lab-id': 'The lab identifier has the wrong form.',
  'trust.file-too-large': 'Certificates and CRLs are far smaller than this file.',
  // intake
  'intake.not-chosen': 'Main reads only files the user chose or confirmed.',
  'intake.busy': 'Another import is running.',
  'intake.changed': 'The bundle changed while it was being imported.',
  'intake.not-found': 'No such import is recorded.',
  'intake.malformed': "The bundle's signed content is malformed.",
  'intake.malformed-task': 'A task file in the eval package is malformed.',
  'intake.malformed-dataset': 'A dataset in the eval package is malformed.',
  // bundle writer, CMS signing, canonical JSON
  'json.not-canonicalizable': 'A value is not plain JSON data, so it cannot be written as canonical JSON (RFC 8785).',
  'signing.key': 'The signing key is not a private key.',
  'signing.key-floor': 'The signing key is below the CNSA floor.',
  'signing.key-mismatch': 'The private key does not belong to the signer certificate.',
  'signing.certificate': 'The signer certificate cannot sign bundles (CA, key usage, validity or malformed).',
  'signing.digest': 'The digest is not SHA-384 or SHA-512.',
  'signing.time': 'The signing time is not a valid date.',
  'signing.failed': 'The signature could not be made.',
  'signing.malformed-signature': 'The existing SHA384SUMS.p7s is not a detached CMS SignedData.',
  'signing.existing-signature': 'An existing signature does not verify over SHA384SUMS, so it is not co-signed.',
  'signing.already-signed': 'That certificate has already signed the bundle.',
  'writer.path': 'A bundle path breaks the path rules (spec §1).',
  'writer.duplicate': 'Two bundle paths are equal case-insensitively, or one lies under a file.',
  'writer.metadata': 'bundle.json would not pass the bundle.json checks (spec §5).',
  'writer.source': 'A file to put in the bundle cannot be read or is not a regular file.',
  'writer.source-changed': 'A file changed while the bundle was being written.',
  'writer.exists': 'The output path already exists.',
  'writer.io': 'Writing the bundle failed.',
  'writer.not-bundle': 'The bundle to co-sign is not a signed bundle.',
  'writer.bundle-mismatch': 'The bundle to co-sign does not match its SHA384SUMS.',
  // signature checks off the main thread (a worker thread)
  'verify.time-limit': 'The signature and trust-path checks did not finish within their time limit; the bundle was not accepted.',
  'verify.worker-failed': 'The worker thread that checks signatures stopped unexpectedly; the bundle was not accepted.',
  // the packaged app's start-up checks
  'app.native-module-unpinned': 'This build carries no digest for its SQLite module, so it cannot check it.',
  'app.native-module-missing': "The app's SQLite module is missing or unreadable.",
  'app.native-module-modified': "The app's SQLite module is not the one this build shipped.",
  // jobs
  'jobs.busy': 'A job of that kind is already running.',
  // content
  'content.not-found': 'No such accepted bundle.',
  'content.task-not-found': 'No such eval task.',
  'content.engagement-not-found': 'No such engagement.',
  'content.card-missing': 'The model card is missing from the vault.',
  'content.card-not-text': 'The model card is not UTF-8 text.',
  'content.card-too-large': 'The model card is larger than 1 MiB.',
  // scoring (Inspect scorers, epoch reducers and metrics)
  'scoring.bad-argument': 'A scorer, reducer or metric was given an argument out of its range.',
  'scoring.bad-pattern': 'The scoring regular expression cannot be compiled.',
  'scoring.bad-template': 'The multiple-choice template lacks the {question} or {choices} placeholder.',
  'scoring.bad-choices': 'A multiple-choice sample has no choices, or more than 26.',
  'scoring.bad-reducer': 'No epoch reducer has that name.',
  'scoring.shape-mismatch': 'The epochs of one sample scored lists of different lengths or dicts with different keys.',
  'scoring.cluster-missing': 'A sample has no value for the metadata key the clustered stderr groups by.',
  'scoring.group-missing': 'A sample has no value for the metadata key the metrics are grouped by.',
  // command line
  'cli.usage': 'The command line was used wrongly.',
  'cli.unknown-command': 'No such command.',
  'cli.cancelled': 'The prompt was cancelled.',
  'cli.no-tty': 'A passphrase is needed but there is no terminal to ask on.',
  'cli.no-passphrase': 'No passphrase was given.',
  'cli.passphrase-empty': 'The passphrase is empty.',
  'cli.passphrase-file': 'The passphrase file could not be read.',
  'cli.passphrase-mismatch': 'The two passphrases differ.',
  // renderer form checks (before anything reaches main)
  'renderer.no-bridge': 'The preload bridge is missing.',
  'renderer.ipc': 'The IPC call itself failed.',
  'renderer.bad-reply': 'Main answered with something unexpected.',
  'renderer.unexpected': 'An unexpected renderer error.',
  'renderer.empty-passphrase': 'No passphrase was entered.',
  'renderer.same-passphrase': 'The new passphrase equals the current one.',
  'renderer.invalid-lab-id': 'The lab identifier has the wrong form.',
  'renderer.invalid-minutes': 'The auto-lock minutes are out of range.',
  'renderer.no-types': 'No bundle type was chosen for the anchor.',
  'renderer.drop-count': 'Nothing, or more than one item, was dropped.',
  'renderer.drop-no-path': 'The dropped item has no path on disk.',
  'renderer.drop-declined': 'The dropped item was not confirmed for import.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
