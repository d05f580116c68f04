import { useId, useState } from 'react';
import { useSession } from '../../state/session';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice, InfoNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';

export function Unlock() {
  const id = useId();
  const unlock = useSession((s) => s.unlock);
  const notice = useSession((s) => s.lockNotice);
  const status = useSession((s) => s.status);
  const [passphrase, setPassphrase] = useState('');
  const action = useAction(unlock);
  const unlockRemembered = useSession((s) => s.unlockRemembered);
  const rememberedAction = useAction(unlockRemembered);
  // One unlock at a time from this screen, whichever button started it (main serialises them too).
  const busy = action.busy || rememberedAction.busy;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!passphrase) {
      action.setError({ code: 'renderer.empty-passphrase', message: 'Enter the vault passphrase, then press Unlock.' });
      return;
    }
    await action.run(passphrase);
    // On success this screen unmounts; on failure clear the field for the next attempt.
    setPassphrase('');
  };

  return (
    <div className="gate">
      <form className="gate-card" onSubmit={submit} data-testid="unlock-form" noValidate aria-labelledby={`${id}-h`}>
        <h1 id={`${id}-h`}>Unlock Airlock</h1>
        {notice && (
          <InfoNotice testId="lock-notice" tone="warn">
            <p>{notice.message}</p>
            <p className="muted small">
              Locked at <Time iso={notice.at} />
            </p>
          </InfoNotice>
        )}
        <p>Enter the vault passphrase to continue.</p>
        {status && (
          <p className="muted small">
            Vault: <code className="path">{status.dir}</code>
            {status.operator && <> · operator {status.operator}</>}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-p`}>Passphrase</label>
          <input
            id={`${id}-p`}
            type="password"
            autoComplete="current-password"
            spellCheck={false}
            autoFocus
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            maxLength={1024}
            data-testid="unlock-passphrase"
            aria-invalid={action.error ? true : undefined}
          />
        </div>
        <ErrorNotice error={action.error ?? rememberedAction.error} title="Not unlocked" testId="unlock-error" />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="unlock-submit">
            {action.busy ? 'Unlocking…' : 'Unlock'}
          </button>
          {status?.remembered && status.remember.available && (
            <button
              type="button"
              className="btn"
              onClick={() => void (busy ? undefined : rememberedAction.run())}
              disabled={busy}
              data-testid="unlock-remembered"
            >
              Unlock with this machine&apos;s key store
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
