import { useState } from 'react';
import type { Credential } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatDuration, formatTime } from '../logic/format.js';
import { tokenTtlFromHours } from '../logic/token-ttl.js';
import { DeleteRowAction, GuardedForm, namesOf } from './config-bits.js';

/** Machine-to-machine credentials; the client secret is shown once, right after creation. */
export function CredentialsPage() {
  const { api } = useSession();
  const list = useResourceList<Credential>('/api/v1/credentials', 'credentials');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState('');
  const [ttlHours, setTtlHours] = useState('');
  const [created, setCreated] = useState<{ clientId: string; clientSecret: string; name: string } | undefined>();
  return (
    <Page title="Credentials">
      <p className="muted">
        OAuth client-credentials clients for CI and tools. The secret is shown once, when the credential is created. A caller that cannot refresh its token (a Spinnaker webhook stage) can be given a longer token lifetime; deleting the credential revokes its tokens.
      </p>
      <GuardedForm
        resource="credential"
        label="New credential"
        submitLabel="Create credential"
        onSubmit={async () => {
          const tokenTtlSeconds = tokenTtlFromHours(ttlHours);
          const body = { name: name.trim(), roles: namesOf(roles), ...(tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds }) };
          const answer = await api.send<Credential & { clientSecret: string }>('POST', '/api/v1/credentials', body);
          setCreated({ clientId: answer.clientId, clientSecret: answer.clientSecret, name: answer.name });
          setName('');
          setRoles('');
          setTtlHours('');
          list.reload();
        }}
      >
        <TextField label="Name" name="name" required value={name} onChange={setName} />
        <TextField label="Roles (comma-separated)" name="roles" value={roles} onChange={setRoles} />
        <TextField label="Token lifetime in hours (empty: the hub's default)" name="tokenTtlHours" value={ttlHours} onChange={setTtlHours} />
      </GuardedForm>
      {created ? (
        <div className="notice" role="status" data-testid="credential-secret">
          <p>
            <strong>{created.name}</strong> was created. Copy its secret now: it will not be shown again.
          </p>
          <p>
            Client id: <code className="secret-once">{created.clientId}</code>
          </p>
          <p>
            Client secret: <code className="secret-once">{created.clientSecret}</code>
          </p>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created.clientSecret)}>
            Copy secret
          </button>{' '}
          <button type="button" onClick={() => setCreated(undefined)}>
            I saved it
          </button>
        </div>
      ) : null}
      <ErrorNote error={list.error} />
      <ResourceTable
        wrap
        columns={['Name', 'Client id', 'Roles', 'Token lifetime', 'Created']}
        rows={list.items}
        rowKey={(c) => c.clientId}
        renderCells={(c) => (
          <>
            <td>{c.name}</td>
            <td>
              <code>{c.clientId}</code>
            </td>
            <td>{c.roles.join(', ') || '—'}</td>
            <td>{c.tokenTtlSeconds === null ? "hub's default" : formatDuration(c.tokenTtlSeconds * 1000)}</td>
            <td>{formatTime(c.createdAtIso)}</td>
            <td>
              <DeleteRowAction
                resource="credential"
                id={`delete-${c.clientId}`}
                label={`Delete ${c.name}`}
                remove={() => api.send('DELETE', `/api/v1/credentials/${encodeURIComponent(c.clientId)}`)}
                list={list}
              />
            </td>
          </>
        )}
      />
    </Page>
  );
}
