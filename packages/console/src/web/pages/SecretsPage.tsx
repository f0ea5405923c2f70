import { useState } from 'react';
import type { SecretEntry } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatTime } from '../logic/format.js';
import { DeleteRowAction, GuardedForm } from './config-bits.js';

/** Write-only secrets: names and times are shown, values can be set but never read back. */
export function SecretsPage() {
  const { api } = useSession();
  const list = useResourceList<SecretEntry>('/api/v1/secrets', 'secrets');
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<string | undefined>();
  return (
    <Page title="Secrets">
      <p className="muted">Reference a secret as {'{{secrets.NAME}}'} in integrations and webhooks. Values are write-only.</p>
      <GuardedForm
        resource="secret"
        label="Set a secret"
        submitLabel="Save secret"
        onSubmit={async () => {
          await api.send('PUT', `/api/v1/secrets/${encodeURIComponent(name.trim())}`, { value });
          setSaved(name.trim());
          setName('');
          setValue('');
          list.reload();
        }}
      >
        <TextField label="Name" name="name" required pattern="[A-Za-z_][A-Za-z0-9_.\-]*" value={name} onChange={setName} />
        <TextField label="Value" name="value" type="password" required autoComplete="off" value={value} onChange={setValue} />
      </GuardedForm>
      {saved ? (
        <div className="notice" role="status">
          Secret {saved} saved.
        </div>
      ) : null}
      <ErrorNote error={list.error} />
      <ResourceTable
        columns={['Name', 'Created', 'Updated']}
        rows={list.items}
        rowKey={(s) => s.name}
        rowData={(s) => ({ 'data-secret': s.name })}
        renderCells={(s) => (
          <>
            <td>{s.name}</td>
            <td>{formatTime(s.createdAtIso)}</td>
            <td>{formatTime(s.updatedAtIso)}</td>
            <td>
              <DeleteRowAction
                resource="secret"
                id={`delete-${s.name}`}
                label={`Delete ${s.name}`}
                remove={() => api.send('DELETE', `/api/v1/secrets/${encodeURIComponent(s.name)}`)}
                list={list}
              />
            </td>
          </>
        )}
      />
    </Page>
  );
}
