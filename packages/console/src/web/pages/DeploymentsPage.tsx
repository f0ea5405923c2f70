import { useEffect, useState } from 'react';
import type { DeploymentSummary } from '../api/types.js';
import { messageOf } from '../api/client.js';
import { ErrorNote, Page, StatusBadge } from '../components/bits.js';
import { Link, navigate, useLocation } from '../components/router.js';
import { useSession } from '../components/session.js';
import { useNow } from '../components/use-async.js';
import { formatAge, formatElapsed } from '../logic/format.js';
import { deploymentListQuery } from '../logic/list-query.js';

const STATUSES = ['', 'QUEUED', 'RUNNING', 'PAUSED', 'AWAITING_APPROVAL', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];
const REFRESH_MS = 3000;

/** Every deployment of the tenant, newest first, refreshed every few seconds; filters live in the URL. */
export function DeploymentsPage() {
  const { api } = useSession();
  const { search } = useLocation();
  const now = useNow(1000);
  const filters = { application: search.get('application') ?? '', status: search.get('status') ?? '', target: search.get('target') ?? '' };
  const [list, setList] = useState<DeploymentSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const query = deploymentListQuery(filters);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const body = await api.get<{ deployments: DeploymentSummary[] }>(`/api/v1/deployments${query}`);
        if (!stopped) {
          setList(body.deployments);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError(messageOf(e));
      }
    };
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, query]);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(`/console/deployments${text ? `?${text}` : ''}`, { replace: true });
  };

  return (
    <Page title="Deployments">
      <form className="filters" role="search" aria-label="Filter deployments" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Application</span>
          <input name="application" defaultValue={filters.application} onChange={(e) => setFilter('application', e.target.value.trim())} />
        </label>
        <label>
          <span>Status</span>
          <select name="status" value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s ? s.replace(/_/g, ' ') : 'Any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Target</span>
          <input name="target" defaultValue={filters.target} onChange={(e) => setFilter('target', e.target.value.trim())} />
        </label>
        <span className="live muted" aria-live="off">
          Updates every {REFRESH_MS / 1000} s
        </span>
      </form>
      <ErrorNote error={error} />
      {list === undefined ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No deployments match.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Deployments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Application</th>
                <th scope="col">Status</th>
                <th scope="col">Targets</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id} data-deployment-id={d.id}>
                  <td>
                    <Link to={`/console/deployments/${encodeURIComponent(d.id)}`}>{d.application}</Link>
                    <div className="muted" style={{ fontSize: 12 }}>
                      {d.id}
                    </div>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>
                    {d.environments.map((e) => (
                      <div key={e.name}>
                        {e.name} <StatusBadge status={e.status} />
                      </div>
                    ))}
                  </td>
                  <td>{formatAge(d.startedAtIso ?? d.createdAtIso, now)}</td>
                  <td>{formatElapsed(d.startedAtIso, d.completedAtIso, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
