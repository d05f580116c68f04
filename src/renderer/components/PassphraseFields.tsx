import { useId, useMemo } from 'react';
import { MIN_PASSPHRASE_LENGTH, MIN_PASSPHRASE_SCORE, passphraseStrength } from '../../shared/passphrase-strength';
import { passphraseProblem, strengthLabel } from '../lib/passphrase';

export interface NewPassphraseValue {
  passphrase: string;
  confirm: string;
}

/** New passphrase + confirmation with live strength feedback. `problem` is null when acceptable. */
export function usePassphraseCheck(v: NewPassphraseValue) {
  const strength = useMemo(() => passphraseStrength(v.passphrase), [v.passphrase]);
  const problem = passphraseProblem({
    passphrase: v.passphrase,
    confirm: v.confirm,
    score: strength.score,
    minScore: MIN_PASSPHRASE_SCORE,
    minLength: MIN_PASSPHRASE_LENGTH,
  });
  return { strength, problem };
}

export function PassphraseFields({
  value,
  onChange,
  label = 'New passphrase',
  showProblem,
}: {
  value: NewPassphraseValue;
  onChange: (v: NewPassphraseValue) => void;
  label?: string;
  /** Show the blocking problem (after a submit attempt). */
  showProblem: boolean;
}) {
  const id = useId();
  const { strength, problem } = usePassphraseCheck(value);
  const hasInput = value.passphrase.length > 0;
  return (
    <div className="passphrase-fields">
      <div className="field">
        <label htmlFor={`${id}-p`}>{label}</label>
        <input
          id={`${id}-p`}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={value.passphrase}
          onChange={(e) => onChange({ ...value, passphrase: e.target.value })}
          aria-describedby={`${id}-strength ${id}-hint`}
          data-testid="new-passphrase"
          maxLength={1024}
        />
        <p className="hint" id={`${id}-hint`}>
          At least {MIN_PASSPHRASE_LENGTH} characters. Several unrelated words are strong and easy to remember. There is no
          recovery: if the passphrase is lost, the vault cannot be opened.
        </p>
        <div className="strength" id={`${id}-strength`} aria-live="polite" data-testid="passphrase-strength" data-score={hasInput ? strength.score : ''}>
          <div className={`strength-meter strength-${hasInput ? strength.score : 'none'}`} aria-hidden="true">
            {[0, 1, 2, 3].map((i) => (
              <span key={i} className={hasInput && strength.score > i ? 'on' : ''} />
            ))}
          </div>
          <span className="strength-label">{hasInput ? `Strength: ${strengthLabel(strength.score)}` : 'Strength: —'}</span>
          {hasInput && strength.feedback.length > 0 && (
            <ul className="strength-feedback">
              {strength.feedback.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-c`}>Confirm {label.toLowerCase()}</label>
        <input
          id={`${id}-c`}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={value.confirm}
          onChange={(e) => onChange({ ...value, confirm: e.target.value })}
          data-testid="confirm-passphrase"
          maxLength={1024}
        />
      </div>
      {showProblem && problem && (
        <p className="field-error" role="alert" data-testid="passphrase-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
