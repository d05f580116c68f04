import { useId, useState } from 'react';
import { useSession } from '../../state/session';
import { useAction } from '../../hooks/useAction';
import { invoke } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PassphraseFields, usePassphraseCheck } from '../../components/PassphraseFields';

export function ChangePassphrase() {
  const id = useId();
  const setStatus = useSession((s) => s.setStatus);
  const [current, setCurrent] = useState('');
  const [pp, setPp] = useState({ passphrase: '', confirm: '' });
  const [attempted, setAttempted] = useState(false);
  const [done, setDone] = useState(false);
  const { problem } = usePassphraseCheck(pp);
  const action = useAction(async (cur: string, next: string) => {
    setStatus(await invoke('vault.changePassphrase', { current: cur, next }));
    return true;
  });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setDone(false);
    if (!current) {
      action.setError({ code: 'renderer.empty-passphrase', message: 'Enter the current passphrase first.' });
      return;
    }
    if (problem) return;
    if (pp.passphrase === current) {
      action.setError({ code: 'renderer.same-passphrase', message: 'The new passphrase is the same as the current one. Choose a different one.' });
      return;
    }
    const ok = await action.run(current, pp.passphrase);
    if (ok) {
      setCurrent('');
      setPp({ passphrase: '', confirm: '' });
      setAttempted(false);
      setDone(true);
    }
  };

  return (
    <form className="panel" onSubmit={submit} data-testid="change-passphrase-form" noValidate>
      <h2>Change passphrase</h2>
      <p className="muted">The vault key is re-wrapped under the new passphrase. The old one stops working immediately.</p>
      <div className="field">
        <label htmlFor={`${id}-cur`}>Current passphrase</label>
        <input
          id={`${id}-cur`}
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          maxLength={1024}
          data-testid="current-passphrase"
        />
      </div>
      <PassphraseFields value={pp} onChange={setPp} showProblem={attempted} />
      <ErrorNotice error={action.error} title="Passphrase not changed" />
      {done && (
        <p className="ok-text" role="status" data-testid="change-passphrase-done">
          Passphrase changed. Use the new passphrase from now on.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn" disabled={action.busy}>
          {action.busy ? 'Changing…' : 'Change passphrase'}
        </button>
      </div>
    </form>
  );
}
