import { useState } from 'react';
import { GRANT_RESOURCES, type GrantResource, type Role } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { FormField, TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { choicesFromGrants, grantsFromChoices, withoutRole, withRole, type Access } from '../logic/roles-document.js';
import { DeleteRowAction, GuardedForm } from './config-bits.js';

/** Roles and their grants (the `config apply` document), for the caller's tenant. */
export function RolesPage() {
  const { api, me } = useSession();
  const list = useResourceList<Role>('/api/v1/roles', 'roles');
  const [name, setName] = useState('');
  const [choices, setChoices] = useState<Partial<Record<GrantResource, Access>>>({ deployment: 'read' });
  const roles = list.items;
  return (
    <Page title="Roles and grants">
      <GuardedForm
        resource="role"
        label="Add or replace a role"
        submitLabel="Save role"
        onSubmit={async () => {
          await api.send('PUT', '/api/v1/roles', withRole(roles, me.tenant, { name: name.trim(), grants: grantsFromChoices(choices) }));
          setName('');
          list.reload();
        }}
      >
        <TextField label="Role name" name="name" required value={name} onChange={setName} />
        <fieldset style={{ border: '1px solid var(--border)', borderRadius: 6, display: 'flex', flexWrap: 'wrap', gap: 10 }}>
          <legend>Grants in tenant {me.tenant}</legend>
          {GRANT_RESOURCES.map((resource) => (
            <FormField key={resource} label={resource}>
              <select value={choices[resource] ?? 'none'} onChange={(e) => setChoices((c) => ({ ...c, [resource]: e.target.value as Access }))}>
                <option value="none">none</option>
                <option value="read">read</option>
                <option value="full">full</option>
              </select>
            </FormField>
          ))}
        </fieldset>
      </GuardedForm>
      <ErrorNote error={list.error} />
      <ResourceTable
        wrap
        columns={['Role', 'Tenant', 'Grants']}
        rows={roles}
        rowKey={(r) => `${r.tenant}/${r.name}`}
        renderCells={(r) => (
          <>
            <td>{r.name}</td>
            <td>{r.tenant}</td>
            <td>{r.grants.map((g) => `${g.resource} (${g.permission})`).join(', ') || '—'}</td>
            <td className="actions">
              {r.tenant === me.tenant ? (
                <>
                  <button
                    type="button"
                    onClick={() => {
                      setName(r.name);
                      setChoices(choicesFromGrants(r.grants));
                    }}
                  >
                    Edit {r.name}
                  </button>
                  <DeleteRowAction
                    resource="role"
                    id={`delete-${r.name.replace(/\W+/g, '-')}`}
                    label={`Delete ${r.name}`}
                    remove={() => api.send('PUT', '/api/v1/roles', withoutRole(roles, me.tenant, r.name))}
                    list={list}
                  />
                </>
              ) : null}
            </td>
          </>
        )}
      />
    </Page>
  );
}
