import { useLoadOnMount } from '../../hooks/useLoadOnMount';
import { RefreshButton } from '../../components/RefreshButton';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useContent } from '../../state/content';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { ClassificationBanner } from '../../components/ClassificationBanner';
import type { EvalSampleDto, EvalTaskDto } from '../../../shared/ipc/contract';

const ROW_HEIGHT = 34;

function SampleDetail({ sample }: { sample: EvalSampleDto }) {
  return (
    <div className="panel" data-testid="sample-detail" aria-live="polite">
      <h3>
        Sample <code>{sample.id}</code> <span className="muted small">#{sample.ordinal + 1}</span>
      </h3>
      <h4>Input</h4>
      <pre className="sample-text">{sample.input}</pre>
      {sample.inputTruncated && <p className="muted small">The input is longer than shown here.</p>}
      {sample.choices && (
        <>
          <h4>Choices</h4>
          <ol className="choices" type="A">
            {sample.choices.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ol>
        </>
      )}
      <h4>Target</h4>
      <p>{sample.target ?? <span className="muted">none</span>}</p>
      {sample.metadata && Object.keys(sample.metadata).length > 0 && (
        <>
          <h4>Metadata</h4>
          <dl className="kv">
            {Object.entries(sample.metadata).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}

function Samples({ task }: { task: EvalTaskDto }) {
  const samples = useContent((s) => s.samples);
  const loadMoreSamples = useContent((s) => s.loadMoreSamples);
  const more = useAction(loadMoreSamples);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const items = samples?.taskId === task.id ? samples.items : [];

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems[virtualItems.length - 1];

  useEffect(() => {
    if (samples && !samples.done && !samples.loading && !more.error && last && last.index >= items.length - 40) void more.run();
  }, [last?.index, items.length, samples?.done, samples?.loading]);

  const current = selected === null ? undefined : items[selected];

  return (
    <section aria-labelledby="samples-heading">
      <h2 id="samples-heading">Samples</h2>
      <ErrorNotice error={more.error} title="Could not load samples" />
      <div className="samples" role="table" aria-label={`Samples of ${task.name}`} aria-rowcount={task.sampleCount + 1} data-testid="samples-list">
        <div className="sample-row sample-head" role="row" aria-rowindex={1}>
          <span role="columnheader">#</span>
          <span role="columnheader">Id</span>
          <span role="columnheader">Input</span>
          <span role="columnheader">Target</span>
        </div>
        <div className="samples-scroll" ref={scrollRef} role="rowgroup" data-testid="samples-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualItems.map((v) => {
              const s = items[v.index];
              if (!s) return null;
              return (
                <div
                  key={`${s.ordinal}`}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={selected === v.index}
                  tabIndex={0}
                  className={`sample-row${selected === v.index ? ' selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` }}
                  onClick={() => setSelected(v.index)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelected(v.index);
                    }
                  }}
                  data-testid="sample-row"
                  data-sample-id={s.id}
                  data-index={v.index}
                >
                  <span role="cell" className="num">
                    {s.ordinal + 1}
                  </span>
                  <span role="cell">
                    <code>{s.id}</code>
                  </span>
                  <span role="cell" title={s.input.slice(0, 500)}>
                    {s.input.replace(/\s+/g, ' ').slice(0, 300)}
                  </span>
                  <span role="cell">{s.target ?? '—'}</span>
                </div>
              );
            })}
          </div>
          {samples?.done && items.length === 0 && <p className="empty">This task has no samples.</p>}
        </div>
        <p className="muted small audit-foot" data-testid="samples-count">
          {items.length} of {task.sampleCount} sample{task.sampleCount === 1 ? '' : 's'} loaded
          {samples && !samples.done ? ' · scroll for more' : ''}
          {samples?.loading ? ' · loading…' : ''}
        </p>
      </div>
      {current && <SampleDetail sample={current} />}
    </section>
  );
}

function TaskDetail({ task }: { task: EvalTaskDto }) {
  return (
    <div data-testid="task-detail" data-task={task.id}>
      <ClassificationBanner marking={task.classification} />
      <div className="panel">
        <h2>
          {task.name} <span className="muted small">{task.path}</span>
        </h2>
        {task.description && <p>{task.description}</p>}
        <dl className="kv kv-grid">
          <div>
            <dt>Package</dt>
            <dd>
              {task.packageName} {task.packageVersion}
            </dd>
          </div>
          <div>
            <dt>Dataset</dt>
            <dd>
              <code>{task.datasetPath}</code> · {task.sampleCount} sample{task.sampleCount === 1 ? '' : 's'}
            </dd>
          </div>
          <div>
            <dt>Solvers</dt>
            <dd>{task.solvers.join(' → ') || '—'}</dd>
          </div>
          <div>
            <dt>Scorers</dt>
            <dd>{task.scorers.join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>Metrics</dt>
            <dd>{task.metrics.join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>Epochs</dt>
            <dd>
              {task.epochs ?? 1}
              {task.epochReducer ? ` (reduced by ${task.epochReducer})` : ''}
            </dd>
          </div>
        </dl>
      </div>
      <Samples task={task} />
      <ClassificationBanner marking={task.classification} position="bottom" />
    </div>
  );
}

export function Tasks() {
  const tasks = useContent((s) => s.tasks);
  const selectedId = useContent((s) => s.selectedTaskId);
  const loadTasks = useContent((s) => s.loadTasks);
  const selectTask = useContent((s) => s.selectTask);
  const load = useLoadOnMount(loadTasks);
  const select = useAction(selectTask);

  const packages = useMemo(() => {
    const groups = new Map<string, { title: string; tasks: EvalTaskDto[] }>();
    for (const t of tasks ?? []) {
      const g = groups.get(t.importId) ?? { title: `${t.bundleTitle} (${t.packageName} ${t.packageVersion})`, tasks: [] };
      g.tasks.push(t);
      groups.set(t.importId, g);
    }
    return [...groups.entries()];
  }, [tasks]);

  const selected = tasks?.find((t) => t.id === selectedId);

  return (
    <section>
      <ScreenHeading actions={<RefreshButton load={load} />}>
        Eval tasks
      </ScreenHeading>
      <p className="muted">The tasks of every accepted eval package. Choose a task to browse its samples.</p>
      <ErrorNotice error={load.error ?? select.error} title="Could not load eval tasks" />
      {tasks && tasks.length === 0 && (
        <p className="empty" data-testid="no-tasks">
          No eval tasks yet. Import an eval package from Intake.
        </p>
      )}
      {packages.map(([importId, g]) => (
        <div className="table-wrap" key={importId} data-testid="task-package" data-import={importId}>
          <h2 className="package-title">{g.title}</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Samples</th>
                <th scope="col">Scorers</th>
                <th scope="col">Classification</th>
                <th scope="col">
                  <span className="sr-only">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {g.tasks.map((t) => (
                <tr key={t.id} className={t.id === selectedId ? 'selected' : ''} data-testid="task-row" data-task-name={t.name}>
                  <th scope="row">{t.name}</th>
                  <td className="num">{t.sampleCount}</td>
                  <td>{t.scorers.join(', ')}</td>
                  <td>{t.classification}</td>
                  <td>
                    <button type="button" className="btn btn-quiet" onClick={() => void select.run(t.id)} aria-pressed={t.id === selectedId} aria-label={`Show samples of ${t.name}`}>
                      Samples
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {selected && <TaskDetail key={selected.id} task={selected} />}
    </section>
  );
}
