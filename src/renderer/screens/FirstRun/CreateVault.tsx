import { useId, useState } from 'react';
import { useSession } from '../../state/session';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PassphraseFields, usePassphraseCheck } from '../../components/PassphraseFields';

export function CreateVault() {
  const id = useId();
  const info = useSession((s) => s.info);
  const create = useSession((s) => s.create);
  const [operator, setOperator] = useState('');
  const [pp, setPp] = useState({ passphrase: '', confirm: '' });
  const [attempted, setAttempted] = useState(false);
  const { problem } = usePassphraseCheck(pp);
  const action = useAction(create);
  const operatorProblem = operator.trim() === '' ? 'Enter your name or role, as it should appear in the audit trail.' : null;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (problem || operatorProblem) return;
    await action.run(pp.passphrase, operator.trim());
  };

  return (
    <div className="gate">
      <form className="gate-card" onSubmit={submit} data-testid="create-vault-form" noValidate aria-labelledby={`${id}-h`}>
        <h1 id={`${id}-h`}>Create the Airlock vault</h1>
        <p>
          The vault keeps trust anchors, imported bundles, reports and the audit trail, encrypted with a key derived from your
          passphrase. It is created once on this computer.
        </p>
        {info && (
          <p className="muted small">
            Location: <code className="path">{info.vaultDir}</code>
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-op`}>Operator</label>
          <input
            id={`${id}-op`}
            type="text"
            value={operator}
            onChange={(e) => setOperator(e.target.value)}
            autoComplete="off"
            maxLength={200}
            data-testid="operator"
            aria-describedby={`${id}-op-hint`}
          />
          <p className="hint" id={`${id}-op-hint`}>
            Your name or role; recorded in the audit trail for actions taken in this vault.
          </p>
          {attempted && operatorProblem && (
            <p className="field-error" role="alert">
              {operatorProblem}
            </p>
          )}
        </div>
        <PassphraseFields value={pp} onChange={setPp} label="Passphrase" showProblem={attempted} />
        <ErrorNotice error={action.error} title="The vault was not created" />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="create-vault-submit">
            {action.busy ? 'Creating… (deriving the key takes a few seconds)' : 'Create vault'}
          </button>
        </div>
      </form>
    </div>
  );
}
