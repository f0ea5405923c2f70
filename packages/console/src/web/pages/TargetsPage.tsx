import { useState } from 'react';
import type { Target } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { FormField, TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatTime } from '../logic/format.js';
import { DeleteRowAction, GuardedForm } from './config-bits.js';

/** Deployment targets: the `account` names deploy files use. */
export function TargetsPage() {
  const { api } = useSession();
  const list = useResourceList<Target>('/api/v1/targets', 'targets');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'kubeconfig' | 'agent'>('agent');
  const [ref, setRef] = useState('');
  return (
    <Page title="Targets">
      <GuardedForm
        resource="target"
        label="Add or replace a target"
        submitLabel="Save target"
        onSubmit={async () => {
          await api.send('PUT', `/api/v1/targets/${encodeURIComponent(name.trim())}`, { kind, ref: ref.trim() });
          setName('');
          setRef('');
          list.reload();
        }}
      >
        <TextField label="Account name" name="name" required value={name} onChange={setName} />
        <FormField label="Kind">
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'kubeconfig' | 'agent')}>
            <option value="agent">agent</option>
            <option value="kubeconfig">kubeconfig</option>
          </select>
        </FormField>
        <TextField label={kind === 'agent' ? 'Agent identifier' : 'Context name'} name="ref" required value={ref} onChange={setRef} />
      </GuardedForm>
      <ErrorNote error={list.error} />
      <ResourceTable
        columns={['Account', 'Kind', 'Reference', 'Created']}
        rows={list.items}
        rowKey={(t) => t.name}
        renderCells={(t) => (
          <>
            <td>{t.name}</td>
            <td>{t.kind}</td>
            <td>{t.ref}</td>
            <td>{formatTime(t.createdAtIso)}</td>
            <td>
              <DeleteRowAction
                resource="target"
                id={`delete-${t.name}`}
                label={`Delete ${t.name}`}
                remove={() => api.send('DELETE', `/api/v1/targets/${encodeURIComponent(t.name)}`)}
                list={list}
              />
            </td>
          </>
        )}
      />
    </Page>
  );
}
