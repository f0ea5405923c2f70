import { useState } from 'react';
import type { Tenant } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatTime } from '../logic/format.js';
import { allows } from '../logic/permissions.js';
import { DeleteRowAction, GuardedForm } from './config-bits.js';

/** The organization's tenants (organization grant only). */
export function TenantsPage() {
  const { api, permissions } = useSession();
  const readable = allows(permissions, 'organization', 'read');
  const list = useResourceList<Tenant>('/api/v1/tenants', 'tenants', readable);
  const [name, setName] = useState('');
  return (
    <Page title="Tenants">
      {!readable ? <p className="notice">Tenants are managed with the organization grant, which you do not hold.</p> : null}
      <GuardedForm
        resource="organization"
        label="New tenant"
        submitLabel="Create tenant"
        onSubmit={async () => {
          await api.send('POST', '/api/v1/tenants', { name: name.trim() });
          setName('');
          list.reload();
        }}
      >
        <TextField label="Name" name="name" required value={name} onChange={setName} />
      </GuardedForm>
      <ErrorNote error={list.error} />
      <ResourceTable
        columns={['Tenant', 'Created']}
        rows={list.items}
        rowKey={(t) => t.name}
        renderCells={(t) => (
          <>
            <td>{t.name}</td>
            <td>{formatTime(t.createdAtIso)}</td>
            <td>
              <DeleteRowAction
                resource="organization"
                id={`delete-${t.name}`}
                label={`Delete ${t.name}`}
                remove={() => api.send('DELETE', `/api/v1/tenants/${encodeURIComponent(t.name)}`)}
                list={list}
              />
            </td>
          </>
        )}
      />
    </Page>
  );
}
