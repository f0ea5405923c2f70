import type { Agent } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { useSession } from '../components/session.js';
import { useAsync, useNow } from '../components/use-async.js';
import { formatAge, isStale } from '../logic/format.js';
import { useEffect } from 'react';

/** Remote Network Agents connected for the tenant, with their heartbeat age. */
export function AgentsPage() {
  const { api } = useSession();
  const now = useNow(1000);
  const list = useAsync(() => api.get<{ agents: Agent[] }>('/api/v1/agents'), [api]);
  const { reload } = list;
  useEffect(() => {
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [reload]);
  const agents = list.value?.agents ?? [];
  return (
    <Page title="Agents">
      <ErrorNote error={list.error} />
      {list.value && agents.length === 0 ? <p className="muted">No agent is connected.</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Heartbeat</th>
              <th scope="col">Version</th>
              <th scope="col">Address</th>
              <th scope="col">Connected</th>
              <th scope="col">Hub replica</th>
              <th scope="col">Cluster role</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={`${a.identifier}/${a.instanceId}`} data-agent={a.identifier}>
                <td>
                  <strong>{a.identifier}</strong>
                  <div className="muted" style={{ fontSize: 12 }}>
                    {a.instanceId}
                  </div>
                </td>
                <td className={isStale(a.lastHeartbeatAtIso, now) ? 'tone-bad' : 'tone-ok'}>{formatAge(a.lastHeartbeatAtIso, now)}</td>
                <td>{a.version}</td>
                <td>{a.address}</td>
                <td>{formatAge(a.connectedAtIso, now)}</td>
                <td>{a.hubReplica}</td>
                <td>{a.clusterRole ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
