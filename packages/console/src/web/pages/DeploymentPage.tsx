import { useEffect, useMemo, useState } from 'react';
import { ApiError, messageOf } from '../api/client.js';
import type { DeploymentConfig, DeploymentPayload, EnvironmentPayload } from '../api/types.js';
import { AnalysisChart } from '../components/AnalysisChart.js';
import { ActionButton, ErrorNote, StatusBadge } from '../components/bits.js';
import { DagView } from '../components/DagView.js';
import { navigate } from '../components/router.js';
import { useSession } from '../components/session.js';
import { useNow } from '../components/use-async.js';
import { useDeploymentStream } from '../components/use-deployment-stream.js';
import { analysisSeries } from '../logic/analysis-series.js';
import { podSplits, previewLinks, webhookResults } from '../logic/deployment-facts.js';
import { describeEvent, formatAge, formatElapsed, formatTime } from '../logic/format.js';
import { deploymentActions, isTerminal, targetActions, type ActionState } from '../logic/permissions.js';

const ACTION_PATHS: Record<ActionState['action'], string> = {
  approve: 'approve',
  approveAndContinue: 'approve',
  reject: 'reject',
  skip: 'skip',
  rollback: 'rollback',
  rollforward: 'rollforward',
  cancel: 'cancel',
  redeploy: 'redeploy',
};

/** One deployment: target graph, steps, weights and pods, analysis charts, webhooks, previews, events, config. */
export function DeploymentPage({ id }: { id: string }) {
  const { api, permissions } = useSession();
  const now = useNow(1000);
  const { events, state: streamState } = useDeploymentStream(api, id);
  const [deployment, setDeployment] = useState<DeploymentPayload | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [selected, setSelected] = useState<string | undefined>();

  // The status payload is read again whenever an event arrives (and every few seconds while active).
  const lastSeq = events.at(-1)?.seq ?? 0;
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api.get<DeploymentPayload>(`/api/v1/deployments/${encodeURIComponent(id)}`).then(
        (d) => {
          if (stopped) return;
          setDeployment(d);
          setError(undefined);
        },
        (e: unknown) => !stopped && setError(messageOf(e)),
      );
    const debounce = setTimeout(load, 150);
    const timer = setInterval(load, 5000);
    return () => {
      stopped = true;
      clearTimeout(debounce);
      clearInterval(timer);
    };
  }, [api, id, lastSeq]);

  const series = useMemo(() => analysisSeries(events), [events]);
  const pods = useMemo(() => podSplits(events), [events]);
  const webhooks = useMemo(() => webhookResults(events), [events]);
  const previews = useMemo(() => previewLinks(events), [events]);

  if (!deployment) {
    return (
      <>
        <h1>Deployment</h1>
        {error ? <ErrorNote error={error} /> : <p className="muted">Loading…</p>}
      </>
    );
  }
  const current: EnvironmentPayload | undefined = deployment.environments.find((e) => e.name === selected) ?? deployment.environments.find((e) => e.approval) ?? deployment.environments[0];

  const act = async (state: ActionState) => {
    setBusy(`${state.action}:${state.target ?? ''}`);
    setActionError(undefined);
    setNotice(undefined);
    try {
      const body = state.target ? { target: state.target } : {};
      const result = await api.send<{ id: string }>('POST', `/api/v1/deployments/${encodeURIComponent(deployment.id)}/${ACTION_PATHS[state.action]}`, body);
      if (state.action === 'redeploy' && result?.id) {
        navigate(`/console/deployments/${encodeURIComponent(result.id)}`);
        return;
      }
      setNotice(`${state.label}${state.target ? ` (${state.target})` : ''}: sent`);
    } catch (e) {
      setActionError(e instanceof ApiError ? `${state.label} refused: ${e.message}` : messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  const renderActions = (states: ActionState[], prefix: string) => (
    <div className="actions">
      {states.map((s) => (
        <ActionButton
          key={s.action}
          id={`${prefix}-${s.action}`}
          name={s.action}
          label={s.label}
          {...(s.disabledReason !== undefined ? { disabledReason: s.disabledReason } : {})}
          busy={busy === `${s.action}:${s.target ?? ''}`}
          variant={s.action === 'rollback' || s.action === 'cancel' ? 'danger' : s.action.startsWith('approve') ? 'primary' : undefined}
          onClick={() => void act(s)}
        />
      ))}
    </div>
  );

  const split = current ? pods.get(current.name) : undefined;
  return (
    <>
      <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <h1 style={{ marginBottom: 0 }}>{deployment.application}</h1>
        <span data-testid="deployment-status">
          <StatusBadge status={deployment.status} />
        </span>
        <span className="live muted" role="status">
          {streamState === 'live' ? 'Live' : streamState === 'ended' ? 'Finished' : streamState === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
        </span>
      </div>
      <p className="muted">
        {deployment.id} · started {formatAge(deployment.startedAtIso ?? deployment.createdAtIso, now)}
        {deployment.startedBy ? ` by ${deployment.startedBy}` : ''} · {formatElapsed(deployment.startedAtIso, deployment.completedAtIso, now)}
        {deployment.reason ? ` · ${deployment.reason}` : ''}
      </p>
      {renderActions(deploymentActions(deployment, permissions), 'deployment')}
      <div aria-live="polite">
        <ErrorNote error={actionError ?? error} />
        {notice ? <div className="notice">{notice}</div> : null}
      </div>

      <h2>Targets</h2>
      <DagView environments={deployment.environments} selected={current?.name} onSelect={setSelected} />

      {current ? (
        <section className="card" aria-labelledby="target-heading" data-target={current.name}>
          <h2 id="target-heading" style={{ marginTop: 0 }}>
            {current.name} <StatusBadge status={current.status} />
          </h2>
          <p className="muted">
            {current.account} / {current.namespace}
            {current.strategy ? ` · strategy ${current.strategy}` : ''}
            {current.reason ? ` · ${current.reason}` : ''}
          </p>
          {current.approval ? (
            <div className="notice" role="region" aria-label="Waiting for approval">
              <strong>Waiting for approval:</strong> {current.approval.message || current.approval.kind}
              {current.approval.requiresRoles.length > 0 ? <span> (requires {current.approval.requiresRoles.join(', ')})</span> : null}
              {current.approval.expiresAtIso ? <span> · expires {formatAge(current.approval.expiresAtIso, now)}</span> : null}
            </div>
          ) : null}
          {isTerminal(deployment.status) ? null : renderActions(targetActions(deployment, current, permissions), `target-${current.name}`)}
          <h3>Traffic and pods</h3>
          <p>
            Canary weight: <strong data-testid="weight">{current.weight !== null ? `${current.weight}%` : split ? `${split.weight}%` : '—'}</strong>
          </p>
          {split && split.pods.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Kubernetes deployment</th>
                  <th scope="col">New version pods</th>
                  <th scope="col">Current version pods</th>
                  <th scope="col">Split by</th>
                </tr>
              </thead>
              <tbody>
                {split.pods.map((p) => (
                  <tr key={p.deployment}>
                    <td>{p.deployment}</td>
                    <td>{p.canary}</td>
                    <td>{p.stable}</td>
                    <td>{p.mode === 'traffic' ? 'traffic routing' : 'pod ratio'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No weight was set yet.</p>
          )}
          <h3>Steps</h3>
          <ol className="steps">
            {current.steps.map((step) => (
              <li key={step.id} data-step={step.id}>
                <StatusBadge status={step.status} />
                <span>
                  {step.title}
                  <span className="muted"> · {step.stage}</span>
                  {step.reason ? <div className="muted">{step.reason}</div> : null}
                </span>
                <span className="muted">{step.startedAtIso ? formatElapsed(step.startedAtIso, step.completedAtIso, now) : ''}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <h2>Analysis</h2>
      {series.length === 0 ? (
        <p className="muted">No measurements yet.</p>
      ) : (
        <div className="grid-2">
          {series.map((s) => (
            <AnalysisChart key={`${s.target}:${s.query}`} series={s} />
          ))}
        </div>
      )}

      {webhooks.length > 0 ? (
        <>
          <h2>Webhooks</h2>
          <ul>
            {webhooks.map((w) => (
              <li key={`${w.target}:${w.stepId}:${w.webhook}`}>
                <strong>{w.webhook}</strong>
                {w.target ? ` (${w.target})` : ''}: {w.success === undefined ? `sent${w.httpStatus ? `, HTTP ${w.httpStatus}` : ''}, waiting for its callback` : w.success ? 'succeeded' : 'failed'}
                {w.mdMessage ? <pre style={{ whiteSpace: 'pre-wrap' }}>{w.mdMessage}</pre> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Preview links</h2>
      {previews.length === 0 ? (
        <p className="muted">No preview links.</p>
      ) : (
        <ul>
          {previews.map((p) => (
            <li key={p.url}>
              <a href={p.url} target="_blank" rel="noreferrer noopener">
                {p.service || p.url}
              </a>
              {p.target ? ` (${p.target})` : ''} ·{' '}
              {p.expiresAt === null ? 'no expiry' : p.expiresAt < now ? `expired ${formatAge(p.expiresAt, now)}` : `expires ${formatAge(p.expiresAt, now)} (${formatTime(p.expiresAt)})`}
            </li>
          ))}
        </ul>
      )}

      <h2>Events</h2>
      <ol className="timeline" aria-label="Event timeline" tabIndex={0}>
        {events.map((event) => (
          <li key={event.seq} data-event-type={event.type}>
            <time dateTime={event.atIso} className="muted">
              {formatTime(event.atIso)}
            </time>
            <span>{describeEvent(event)}</span>
          </li>
        ))}
      </ol>

      <ConfigSection id={deployment.id} />
    </>
  );
}

function ConfigSection({ id }: { id: string }) {
  const { api } = useSession();
  const [config, setConfig] = useState<DeploymentConfig | null | undefined>();
  useEffect(() => {
    api.get<DeploymentConfig>(`/api/v1/deployments/${encodeURIComponent(id)}/config`).then(setConfig, () => setConfig(null));
  }, [api, id]);
  return (
    <>
      <h2>Configuration and manifests</h2>
      {config === undefined ? (
        <p className="muted">Loading…</p>
      ) : config === null ? (
        <p className="muted">The hub did not answer this deployment's configuration.</p>
      ) : (
        <div data-testid="deployment-config">
          <details open>
            <summary>Deploy file (normalized)</summary>
            <ScrollableText label="Deploy file">{JSON.stringify(config.deployFile, null, 2)}</ScrollableText>
          </details>
          <details>
            <summary>Context ({Object.keys(config.context).length})</summary>
            <ScrollableText label="Context">{JSON.stringify(config.context, null, 2)}</ScrollableText>
          </details>
          {config.manifests.map((manifest) => (
            <details key={manifest.source} data-manifest-source={manifest.source}>
              <summary>
                {manifest.source}: {manifest.objects.map(objectName).join(', ') || 'no objects'}
                {manifest.targets ? ` (targets ${manifest.targets.join(', ')})` : ''}
              </summary>
              <ScrollableText label={`Manifest ${manifest.source}`}>{manifest.objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n')}</ScrollableText>
            </details>
          ))}
        </div>
      )}
    </>
  );
}

/** Long text in a box that scrolls: focusable and named, so it scrolls from the keyboard too. */
function ScrollableText({ label, children }: { label: string; children: string }) {
  return (
    <pre tabIndex={0} role="region" aria-label={label}>
      {children}
    </pre>
  );
}

/** `Kind/name` of a manifest object. */
function objectName(object: Record<string, unknown>): string {
  const metadata = object.metadata as { name?: unknown } | undefined;
  return `${String(object.kind)}/${String(metadata?.name ?? '?')}`;
}
