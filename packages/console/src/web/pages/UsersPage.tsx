import { useState } from 'react';
import type { User } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatTime } from '../logic/format.js';
import { DeleteRowAction, GuardedForm, RowAction, namesOf } from './config-bits.js';

/** The tenant's people: invitations (the code shown once) and role assignment. */
export function UsersPage() {
  const { api } = useSession();
  const list = useResourceList<User>('/api/v1/users', 'users');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState('');
  const [invitation, setInvitation] = useState<{ email: string; code: string | null } | undefined>();
  const [editing, setEditing] = useState<Record<string, string>>({});
  return (
    <Page title="Users and invitations">
      <GuardedForm
        resource="user"
        label="Invite a user"
        submitLabel="Invite"
        onSubmit={async () => {
          const answer = await api.send<{ user: User; invitationCode: string | null }>('POST', '/api/v1/users', { email: email.trim(), roles: namesOf(roles) });
          setInvitation({ email: answer.user.email, code: answer.invitationCode });
          setEmail('');
          setRoles('');
          list.reload();
        }}
      >
        <TextField label="Email" name="email" type="email" required value={email} onChange={setEmail} />
        <TextField label="Roles (comma-separated)" name="roles" value={roles} onChange={setRoles} />
      </GuardedForm>
      {invitation ? (
        <div className="notice" role="status">
          {invitation.email} was invited.
          {invitation.code ? (
            <>
              {' '}
              Give them this invitation code (shown once): <code className="secret-once">{invitation.code}</code>
            </>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={list.error} />
      <ResourceTable
        wrap
        columns={['Email', 'State', 'Roles', 'Since']}
        rows={list.items}
        rowKey={(u) => u.id}
        renderCells={(u) => (
          <>
            <td>{u.email}</td>
            <td>{u.invited ? 'invited' : 'active'}</td>
            <td>
              <label>
                <span className="visually-hidden">Roles of {u.email}</span>
                <input value={editing[u.id] ?? u.roles.join(', ')} onChange={(e) => setEditing((m) => ({ ...m, [u.id]: e.target.value }))} />
              </label>
            </td>
            <td>{formatTime(u.createdAtIso)}</td>
            <td className="actions">
              <RowAction
                resource="user"
                id={`roles-${u.id}`}
                label="Save roles"
                onError={list.reportError}
                onClick={async () => {
                  await api.send('PATCH', `/api/v1/users/${encodeURIComponent(u.id)}`, { roles: namesOf(editing[u.id] ?? u.roles.join(',')) });
                  list.reload();
                }}
              />
              <DeleteRowAction
                resource="user"
                id={`delete-${u.id}`}
                label={`Remove ${u.email}`}
                remove={() => api.send('DELETE', `/api/v1/users/${encodeURIComponent(u.id)}`)}
                list={list}
              />
            </td>
          </>
        )}
      />
    </Page>
  );
}
