import { useLoadOnMount } from '../../hooks/useLoadOnMount';
import type { VaultStatusDto } from '../../../shared/ipc/contract';
import { useEffect, useId, useState } from 'react';
import { useSession } from '../../state/session';
import { useAudit } from '../../state/audit';
import { useAction } from '../../hooks/useAction';
import { invoke } from '../../api/client';
import { ErrorNotice, InfoNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { Time } from '../../components/Time';
import { formatBytes, formatMinutes } from '../../lib/format';
import { ChangePassphrase } from './ChangePassphrase';
import type { BlobCheckDto, VaultCheckDto } from '../../../shared/ipc/contract';

function CheckResult({ check }: { check: VaultCheckDto }) {
  return check.ok ? (
    <InfoNotice tone="ok" testId="vault-check-result">
      <p>
        <strong>Vault intact.</strong> Database integrity: {check.integrity}. Audit chain verified over {check.records} record
        {check.records === 1 ? '' : 's'}.
      </p>
    </InfoNotice>
  ) : (
    <div className="notice notice-error" role="alert" data-testid="vault-check-result">
      <div className="notice-body">
        <strong className="notice-title">The vault failed its integrity check.</strong>
        <p>Database integrity: {check.integrity}.</p>
        {check.firstBroken && (
          <p>
            The audit chain breaks at record #{check.firstBroken.seq}: {check.firstBroken.reason}
          </p>
        )}
        <p>
          Stop using this vault for new work and tell your security officer; keep the vault folder unchanged for
          investigation.
        </p>
      </div>
    </div>
  );
}

function BlobCheckResult({ result }: { result: BlobCheckDto }) {
  return result.bad.length === 0 ? (
    <InfoNotice tone="ok" testId="blob-check-result">
      <p>
        <strong>All {result.checked} stored blobs intact</strong> (decrypted, authenticated and re-hashed).
      </p>
    </InfoNotice>
  ) : (
    <div className="notice notice-error" role="alert" data-testid="blob-check-result">
      <div className="notice-body">
        <strong className="notice-title">
          {result.bad.length} of {result.checked} stored blobs are damaged.
        </strong>
        <ul>
          {result.bad.map((b) => (
            <li key={b.sha384}>
              <code>{b.sha384.slice(0, 16)}…</code> {b.message} <span className="muted small">[{b.code}]</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** "Remember on this machine": offered only where the OS key store really protects the key. */
function RememberPanel({ status }: { status: VaultStatusDto }) {
  const setStatus = useSession((s) => s.setStatus);
  const action = useAction(async (enabled: boolean) => setStatus(await invoke('vault.remember', { enabled })));
  const { available, backend, reason } = status.remember;
  return (
    <div className="panel" data-testid="remember-panel">
      <h2>Remember on this machine</h2>
      <p className="muted">
        Keeps the vault key in this computer&apos;s OS key store{backend ? ` (${backend})` : ''} so you can unlock without typing the
        passphrase. Anyone who can log in to this account can then open the vault: use it only on a workstation assigned to you.
      </p>
      {status.remembered ? (
        <p data-testid="remember-state">This vault is remembered here.</p>
      ) : !available ? (
        <p className="warn-text" data-testid="remember-state">
          Not available: {reason ?? 'no OS key store.'} Unlock with your passphrase.
        </p>
      ) : null}
      <div className="form-actions">
        {status.remembered ? (
          <button type="button" className="btn" onClick={() => void action.run(false)} disabled={action.busy} data-testid="remember-off">
            Forget on this machine
          </button>
        ) : (
          <button type="button" className="btn" onClick={() => void action.run(true)} disabled={action.busy || !available} data-testid="remember-on">
            Remember on this machine
          </button>
        )}
      </div>
      <ErrorNotice error={action.error} title="Not changed" />
    </div>
  );
}

function AutoLockForm({ minutes }: { minutes: number }) {
  const id = useId();
  const setStatus = useSession((s) => s.setStatus);
  const [value, setValue] = useState(String(minutes));
  const [saved, setSaved] = useState(false);
  const action = useAction(async (m: number) => {
    setStatus(await invoke('vault.setAutoLock', { minutes: m }));
    return true;
  });
  useEffect(() => setValue(String(minutes)), [minutes]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 240) {
      action.setError({ code: 'renderer.invalid-minutes', message: 'Enter a whole number of minutes from 1 to 240.' });
      return;
    }
    const ok = await action.run(n);
    if (ok) setSaved(true);
  };

  return (
    <form className="panel" onSubmit={submit} data-testid="autolock-form" noValidate>
      <h2>Automatic lock</h2>
      <p className="muted">Airlock locks itself after this long without keyboard or mouse activity.</p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-m`}>Minutes of inactivity (1–240)</label>
          <input
            id={`${id}-m`}
            type="number"
            min={1}
            max={240}
            step={1}
            inputMode="numeric"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setSaved(false);
            }}
            data-testid="autolock-minutes"
          />
        </div>
        <button type="submit" className="btn" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {saved && !action.error && (
        <p className="ok-text" role="status">
          Saved: Airlock now locks after {formatMinutes(minutes)} of inactivity.
        </p>
      )}
      <ErrorNotice error={action.error} title="Not saved" />
    </form>
  );
}

export function VaultStatus() {
  const status = useSession((s) => s.status);
  const refresh = useSession((s) => s.refreshStatus);
  const verify = useAudit((s) => s.verify);
  const [check, setCheck] = useState<VaultCheckDto | null>(null);
  const load = useLoadOnMount(refresh);
  const checkAction = useAction(async () => {
    setCheck(await verify());
    await refresh();
  });
  const [blobCheck, setBlobCheck] = useState<BlobCheckDto | null>(null);
  const blobAction = useAction(async () => setBlobCheck(await invoke('vault.checkBlobs')));

  return (
    <section>
      <ScreenHeading>Vault</ScreenHeading>
      <ErrorNotice error={load.error} title="Could not read the vault status" />
      {status && (
        <div className="panel" data-testid="vault-status">
          <h2>Status</h2>
          <dl className="kv kv-grid">
            <div>
              <dt>Location</dt>
              <dd>
                <code className="path" data-testid="vault-dir">
                  {status.dir}
                </code>
              </dd>
            </div>
            <div>
              <dt>State</dt>
              <dd>{status.locked ? 'Locked' : 'Unlocked'}</dd>
            </div>
            <div>
              <dt>Operator</dt>
              <dd>{status.operator ?? '—'}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd data-testid="vault-size">{formatBytes(status.sizeBytes)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd data-testid="vault-created">
                <Time iso={status.createdAt} />
              </dd>
            </div>
            <div>
              <dt>Schema version</dt>
              <dd data-testid="vault-schema">{status.schemaVersion ?? '—'}</dd>
            </div>
            <div>
              <dt>Auto-lock</dt>
              <dd>After {formatMinutes(status.autoLockMinutes)} of inactivity</dd>
            </div>
            <div>
              <dt>Last integrity check</dt>
              <dd data-testid="vault-last-check">
                {status.lastCheck ? (
                  <>
                    {status.lastCheck.ok ? 'Passed' : 'FAILED'} over {status.lastCheck.records} records at{' '}
                    <Time iso={status.lastCheck.at} />
                  </>
                ) : (
                  'Never checked. Run “Check now”.'
                )}
              </dd>
            </div>
          </dl>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => void checkAction.run()} disabled={checkAction.busy} data-testid="vault-check-now">
              {checkAction.busy ? 'Checking…' : 'Check now'}
            </button>
            <button type="button" className="btn" onClick={() => void blobAction.run()} disabled={blobAction.busy} data-testid="blob-check-now">
              {blobAction.busy ? 'Checking every blob…' : 'Check every blob (slow)'}
            </button>
          </div>
          {check && <CheckResult check={check} />}
          <ErrorNotice error={checkAction.error} title="The check could not run" />
          {blobCheck && <BlobCheckResult result={blobCheck} />}
          <ErrorNotice error={blobAction.error} title="The blob check could not run" />
        </div>
      )}
      {status && <AutoLockForm minutes={status.autoLockMinutes} />}
      {status && <RememberPanel status={status} />}
      <ChangePassphrase />
    </section>
  );
}
