import type { VerificationReportDto } from '../../shared/ipc/contract';
import { countChecks, explainVerdict, failureHelp, orderChecks } from '../lib/checks';
import { formatBytes, formatFingerprint } from '../lib/format';
import { ClassificationBanner } from './ClassificationBanner';
import { StatusIcon } from './StatusIcon';
import { Time } from './Time';

type Cert = VerificationReportDto['signers'][number]['certificate'];

function Detail({ detail }: { detail?: Record<string, string | number | boolean | null> }) {
  if (!detail) return null;
  const entries = Object.entries(detail);
  if (entries.length === 0) return null;
  return (
    <dl className="kv kv-inline check-detail">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <code>{v === null ? '—' : String(v)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CertBlock({ cert, heading }: { cert: Cert; heading: string }) {
  return (
    <div className="cert">
      <h4>{heading}</h4>
      <dl className="kv">
        <div>
          <dt>Subject</dt>
          <dd data-testid="signer-subject">{cert.subject}</dd>
        </div>
        <div>
          <dt>Issuer</dt>
          <dd>{cert.issuer}</dd>
        </div>
        <div>
          <dt>Serial</dt>
          <dd>
            <code>{cert.serialNumber}</code>
          </dd>
        </div>
        <div>
          <dt>SHA-256 fingerprint</dt>
          <dd>
            <code className="fingerprint">{formatFingerprint(cert.sha256Fingerprint)}</code>
          </dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>{cert.keyAlgorithm}</dd>
        </div>
        <div>
          <dt>Valid</dt>
          <dd>
            <Time iso={cert.notBefore} compact /> to <Time iso={cert.notAfter} compact />
          </dd>
        </div>
      </dl>
    </div>
  );
}

/** A verification report: verdict with its explanation, banner, bundle summary, every check, every signer. */
export function ReportView({ report, heading = 'Verification report' }: { report: VerificationReportDto; heading?: string }) {
  const accepted = report.verdict === 'accepted';
  const counts = countChecks(report.checks);
  const checks = orderChecks(report.checks);
  const b = report.bundle;
  return (
    <article className="report" aria-label={heading} data-testid="report">
      {b && <ClassificationBanner marking={b.classification} />}
      <section
        className={`verdict verdict-${report.verdict}`}
        data-testid="verdict"
        data-verdict={report.verdict}
        aria-live="polite"
      >
        <div className="verdict-word">
          <span aria-hidden="true">{accepted ? '✓' : '✗'}</span> {accepted ? 'ACCEPTED' : 'REJECTED'}
        </div>
        <p className="verdict-explain" data-testid="verdict-explanation">
          {explainVerdict(report)}
        </p>
        <p className="verdict-counts">
          {counts.pass} passed · {counts.fail} failed · {counts.skip} not run · verified at <Time iso={report.verifiedAt} />
        </p>
      </section>

      <section className="panel">
        <h3>Bundle</h3>
        <dl className="kv kv-grid" data-testid="bundle-summary">
          {b ? (
            <>
              <div>
                <dt>Title</dt>
                <dd>{b.title}</dd>
              </div>
              <div>
                <dt>Type</dt>
                <dd>{b.type}</dd>
              </div>
              <div>
                <dt>Bundle ID</dt>
                <dd>
                  <code>{b.id}</code>
                </dd>
              </div>
              <div>
                <dt>Issuer</dt>
                <dd>{b.issuer}</dd>
              </div>
              <div>
                <dt>Series / sequence</dt>
                <dd>
                  {b.series} / {b.sequence}
                </dd>
              </div>
              <div>
                <dt>Classification</dt>
                <dd>{b.classification}</dd>
              </div>
              <div>
                <dt>Issued</dt>
                <dd>
                  <Time iso={b.issuedAt} />
                </dd>
              </div>
              <div>
                <dt>Valid from</dt>
                <dd>
                  <Time iso={b.notBefore} />
                </dd>
              </div>
              <div>
                <dt>Valid until</dt>
                <dd>
                  <Time iso={b.notAfter} />
                </dd>
              </div>
            </>
          ) : (
            <div>
              <dt>Metadata</dt>
              <dd>Not available: the bundle was rejected before its metadata could be trusted.</dd>
            </div>
          )}
          <div>
            <dt>Files</dt>
            <dd>
              {report.files.count} file{report.files.count === 1 ? '' : 's'}, {formatBytes(report.files.bytes)}
            </dd>
          </div>
          <div>
            <dt>Source</dt>
            <dd>
              <code className="path">{report.source}</code>
            </dd>
          </div>
          {report.sumsSha384 && (
            <div>
              <dt>SHA384SUMS digest</dt>
              <dd>
                <code className="fingerprint">{report.sumsSha384}</code>
              </dd>
            </div>
          )}
        </dl>
      </section>

      <section className="panel">
        <h3>Checks</h3>
        <table className="table checks-table">
          <thead>
            <tr>
              <th scope="col">Result</th>
              <th scope="col">Check</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c, i) => {
              const help = c.status === 'fail' ? failureHelp(c.code) : undefined;
              return (
                <tr
                  key={`${c.id}-${i}`}
                  className={`check-${c.status}`}
                  data-testid="check-row"
                  data-check={c.id}
                  data-status={c.status}
                  data-required={c.required === false ? 'no' : 'yes'}
                >
                  <td>
                    <StatusIcon status={c.status} />
                  </td>
                  <th scope="row">
                    {c.title}
                    <div className="muted small">
                      <code>{c.id}</code>
                      {c.required === false && <> · informational</>}
                      {c.code && (
                        <>
                          {' '}
                          · <code data-testid="check-code">{c.code}</code>
                        </>
                      )}
                    </div>
                  </th>
                  <td>
                    <p className="check-reason">{c.reason}</p>
                    {help && <p className="check-help">What to do: {help}</p>}
                    <Detail detail={c.detail} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h3>Signers</h3>
        {report.signers.length === 0 ? (
          <p className="muted">No signer could be read from the bundle.</p>
        ) : (
          report.signers.map((s, i) => (
            <div className={`signer ${s.ok ? 'signer-ok' : 'signer-bad'}`} key={`${s.certificate.sha256Fingerprint}-${i}`} data-testid="signer">
              <p className="signer-head">
                <StatusIcon status={s.ok ? 'pass' : 'fail'} /> Signer {i + 1}: {s.digestAlgorithm} with {s.signatureAlgorithm}
                {s.signingTime && (
                  <>
                    {' '}
                    · signed <Time iso={s.signingTime} compact />
                  </>
                )}
              </p>
              <div className="cert-pair">
                <CertBlock cert={s.certificate} heading="Signer certificate" />
                {s.anchor ? (
                  <CertBlock cert={s.anchor} heading="Chains to trust anchor" />
                ) : (
                  <div className="cert">
                    <h4>Trust anchor</h4>
                    <p className="muted">This signer does not chain to any installed trust anchor.</p>
                  </div>
                )}
              </div>
            </div>
          ))
        )}
      </section>
      {b && <ClassificationBanner marking={b.classification} position="bottom" />}
    </article>
  );
}
