import { useLoadOnMount } from '../../hooks/useLoadOnMount';
import { useEffect, useId, useState } from 'react';
import { useTrust } from '../../state/trust';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { Time } from '../../components/Time';
import { expiryState, formatFingerprint } from '../../lib/format';
import { BUNDLE_TYPES, type BundleType } from '../../../shared/verification';
import type { TrustAnchorDto } from '../../../shared/ipc/contract';
import { LAB_ID_RULE, isLabId } from '../../../shared/identifiers';

const TYPE_LABELS: Record<BundleType, string> = {
  'model-access': 'Model access',
  'eval-package': 'Evaluation package',
  result: 'Result',
};


function LabIdForm({ labId }: { labId: string | null }) {
  const id = useId();
  const setLabId = useTrust((s) => s.setLabId);
  const [value, setValue] = useState(labId ?? '');
  const [saved, setSaved] = useState(false);
  const action = useAction(async (v: string) => {
    await setLabId(v);
    return true;
  });
  useEffect(() => setValue(labId ?? ''), [labId]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const v = value.trim();
    if (!isLabId(v)) {
      action.setError({
        code: 'renderer.invalid-lab-id',
        message: LAB_ID_RULE,
      });
      return;
    }
    if (await action.run(v)) setSaved(true);
  };

  return (
    <form className="panel" onSubmit={submit} data-testid="lab-id-form" noValidate>
      <h2>Lab identifier</h2>
      <p className="muted">
        Bundles addressed to specific labs are accepted only when this identifier is in their audience.
        {labId ? '' : ' Not set: bundles that name an audience will be rejected until it is.'}
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-lab`}>Lab identifier</label>
          <input
            id={`${id}-lab`}
            type="text"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setSaved(false);
            }}
            spellCheck={false}
            autoComplete="off"
            maxLength={128}
            placeholder="e.g. lab-uk-01"
            data-testid="lab-id"
          />
        </div>
        <button type="submit" className="btn" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {saved && (
        <p className="ok-text" role="status">
          Lab identifier saved.
        </p>
      )}
      <ErrorNotice error={action.error} title="Lab identifier not saved" />
    </form>
  );
}

function AddAnchorForm() {
  const id = useId();
  const addAnchor = useTrust((s) => s.addAnchor);
  const addCrl = useTrust((s) => s.addCrl);
  const [label, setLabel] = useState('');
  const [types, setTypes] = useState<BundleType[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const anchorAction = useAction(async () => {
    const before = useTrust.getState().store?.anchors.length ?? 0;
    await addAnchor(types, label.trim() || undefined);
    const after = useTrust.getState().store?.anchors.length ?? 0;
    return after > before;
  });
  const crlAction = useAction(async () => {
    const before = useTrust.getState().store?.crlCount ?? 0;
    await addCrl();
    return (useTrust.getState().store?.crlCount ?? 0) !== before;
  });

  const toggle = (t: BundleType) => setTypes((ts) => (ts.includes(t) ? ts.filter((x) => x !== t) : [...ts, t]));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setMessage(null);
    if (types.length === 0) {
      anchorAction.setError({
        code: 'renderer.no-types',
        message: 'Choose at least one bundle type this anchor may sign for, then choose the certificate file.',
      });
      return;
    }
    const added = await anchorAction.run();
    if (added) {
      setLabel('');
      setTypes([]);
      setMessage('Trust anchor added. Check its fingerprint against the value the issuing lab gave you out of band.');
    }
  };

  return (
    <div className="panel-row">
      <form className="panel" onSubmit={submit} data-testid="add-anchor-form" noValidate>
        <h2>Add a trust anchor</h2>
        <p className="muted">
          A root certificate (PEM or DER) from a lab you accept bundles from. You will choose the file next. Verify its SHA-256
          fingerprint with the issuing lab by a separate channel.
        </p>
        <div className="field">
          <label htmlFor={`${id}-label`}>Label (optional)</label>
          <input
            id={`${id}-label`}
            type="text"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            maxLength={200}
            autoComplete="off"
            placeholder="Defaults to the certificate subject"
            data-testid="anchor-label"
          />
        </div>
        <fieldset className="field">
          <legend>May sign these bundle types</legend>
          {BUNDLE_TYPES.map((t) => (
            <label key={t} className="check">
              <input type="checkbox" checked={types.includes(t)} onChange={() => toggle(t)} data-testid={`anchor-type-${t}`} />
              {TYPE_LABELS[t]} <code className="muted">{t}</code>
            </label>
          ))}
        </fieldset>
        <ErrorNotice error={anchorAction.error} title="Anchor not added" />
        {message && (
          <p className="ok-text" role="status">
            {message}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={anchorAction.busy} data-testid="add-anchor">
            {anchorAction.busy ? 'Waiting for file…' : 'Choose certificate…'}
          </button>
        </div>
      </form>
      <div className="panel">
        <h2>Add a revocation list</h2>
        <p className="muted">
          A CRL (PEM or DER) published by an installed anchor or its intermediates. Add the newest CRL before it expires, or
          bundles from that issuer will be rejected.
        </p>
        <ErrorNotice error={crlAction.error} title="CRL not added" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => void crlAction.run()} disabled={crlAction.busy} data-testid="add-crl">
            {crlAction.busy ? 'Waiting for file…' : 'Choose CRL…'}
          </button>
        </div>
      </div>
    </div>
  );
}

function AnchorRow({ anchor, now }: { anchor: TrustAnchorDto; now: Date }) {
  const removeAnchor = useTrust((s) => s.removeAnchor);
  const [confirming, setConfirming] = useState(false);
  const action = useAction(removeAnchor);
  const exp = expiryState(anchor.certificate.notAfter, now);
  const crl = anchor.crl;
  return (
    <>
      <tr data-testid="anchor-row" data-anchor-id={anchor.id} className={exp.level === 'expired' ? 'row-bad' : exp.level === 'soon' ? 'row-warn' : ''}>
        <th scope="row">{anchor.label}</th>
        <td className="wrap">{anchor.certificate.subject}</td>
        <td>
          {anchor.types.map((t) => (
            <span key={t} className="pill">
              {t}
            </span>
          ))}
        </td>
        <td>
          <code className="fingerprint" title={anchor.certificate.sha256Fingerprint}>
            {formatFingerprint(anchor.certificate.sha256Fingerprint)}
          </code>
        </td>
        <td data-testid="anchor-expiry" data-level={exp.level}>
          <Time iso={anchor.certificate.notAfter} compact />
          <div className={`expiry expiry-${exp.level}`}>
            {exp.level === 'expired' || exp.level === 'soon' ? <span aria-hidden="true">⚠ </span> : null}
            {exp.label}
          </div>
        </td>
        <td data-testid="anchor-crl" data-fresh={crl ? String(crl.fresh) : 'none'}>
          {crl ? (
            <>
              <span className={`pill ${crl.fresh ? 'pill-ok' : 'pill-bad'}`}>{crl.fresh ? 'Current' : 'Out of date'}</span>
              <div className="small">
                Next update: {crl.nextUpdate ? <Time iso={crl.nextUpdate} compact /> : 'not stated'}
              </div>
              {!crl.fresh && <div className="small warn-text">Add the latest CRL from this issuer.</div>}
            </>
          ) : (
            <>
              <span className="pill pill-bad">None</span>
              <div className="small warn-text">No CRL: bundles from this anchor will be rejected until one is added.</div>
            </>
          )}
        </td>
        <td>
          {confirming ? (
            <span className="confirm">
              <button type="button" className="btn btn-danger" onClick={() => void action.run(anchor.id)} disabled={action.busy}>
                Confirm removal
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={() => setConfirming(true)} aria-label={`Remove trust anchor ${anchor.label}`}>
              Remove
            </button>
          )}
        </td>
      </tr>
      {action.error && (
        <tr>
          <td colSpan={7}>
            <ErrorNotice error={action.error} title="Anchor not removed" onDismiss={action.clear} />
          </td>
        </tr>
      )}
    </>
  );
}

export function Trust() {
  const store = useTrust((s) => s.store);
  const load = useLoadOnMount(useTrust((s) => s.load));
  const now = new Date();

  return (
    <section>
      <ScreenHeading>Trust</ScreenHeading>
      <p className="muted">
        Bundles are accepted only when signed by a certificate that chains to one of these anchors, for the bundle types the
        anchor allows, with a current revocation list.
      </p>
      <ErrorNotice error={load.error} title="Could not load the trust store" />
      <div className="panel">
        <h2>
          Trust anchors {store && <span className="muted">({store.anchors.length} installed, {store.crlCount} CRL{store.crlCount === 1 ? '' : 's'})</span>}
        </h2>
        {store && store.anchors.length === 0 ? (
          <p className="empty" data-testid="no-anchors">
            No trust anchors installed. Every bundle will be rejected until a security officer adds one below.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="anchors-table">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Types</th>
                  <th scope="col">SHA-256 fingerprint</th>
                  <th scope="col">Expires</th>
                  <th scope="col">CRL</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>{store?.anchors.map((a) => <AnchorRow key={a.id} anchor={a} now={now} />)}</tbody>
            </table>
          </div>
        )}
      </div>
      <AddAnchorForm />
      {store && <LabIdForm labId={store.labId} />}
    </section>
  );
}
