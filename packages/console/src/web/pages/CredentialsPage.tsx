import { useState } from 'react';
import type { Credential } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatTime } from '../logic/format.js';
import { DeleteRowAction, GuardedForm, namesOf } from './config-bits.js';

/** Machine-to-machine credentials; the client secret is shown once, right after creation. */
export function CredentialsPage() {
  const { api } = useSession();
  const list = useResourceList<Credential>('/api/v1/credentials', 'credentials');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState('');
  const [created, setCreated] = useState<{ clientId: string; clientSecret: string; name: string } | undefined>();
  return (
    <Page title="Credentials">
      <p className="muted">OAuth client-credentials clients for CI and tools. The secret is shown once, when the credential is created.</p>
      <GuardedForm
        resource="credential"
        label="New credential"
        submitLabel="Create credential"
        onSubmit={async () => {
          const answer = await api.send<Credential & { clientSecret: string }>('POST', '/api/v1/credentials', { name: name.trim(), roles: namesOf(roles) });
          setCreated({ clientId: answer.clientId, clientSecret: answer.clientSecret, name: answer.name });
          setName('');
          setRoles('');
          list.reload();
        }}
      >
        <TextField label="Name" name="name" required value={name} onChange={setName} />
        <TextField label="Roles (comma-separated)" name="roles" value={roles} onChange={setRoles} />
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
        columns={['Name', 'Client id', 'Roles', 'Created']}
        rows={list.items}
        rowKey={(c) => c.clientId}
        renderCells={(c) => (
          <>
            <td>{c.name}</td>
            <td>
              <code>{c.clientId}</code>
            </td>
            <td>{c.roles.join(', ') || '—'}</td>
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
