import { useState } from 'react';
import type { Integration } from '../api/types.js';
import { ErrorNote, Page } from '../components/bits.js';
import { FormField, TextField } from '../components/FormField.js';
import { ResourceTable } from '../components/ResourceTable.js';
import { useSession } from '../components/session.js';
import { useResourceList } from '../components/use-resource-list.js';
import { formatTime } from '../logic/format.js';
import { parseSettings } from '../logic/settings-text.js';
import { DeleteRowAction, GuardedForm, RowAction } from './config-bits.js';

const TYPES = ['prometheus', 'datadog', 'newrelic', 'webhook'];

const keyOf = (i: Integration) => `${i.type}/${i.name}`;

/** Metric providers and other integrations, each with a test-connection button. */
export function IntegrationsPage() {
  const { api } = useSession();
  const list = useResourceList<Integration>('/api/v1/integrations', 'integrations');
  const [type, setType] = useState('prometheus');
  const [name, setName] = useState('');
  const [settings, setSettings] = useState('url=http://127.0.0.1:9090');
  const [results, setResults] = useState<Record<string, { ok: boolean; message: string }>>({});
  return (
    <Page title="Integrations">
      <p className="muted">Settings are not secret: reference secrets as {'{{secrets.NAME}}'}.</p>
      <GuardedForm
        resource="integration"
        label="Add or replace an integration"
        submitLabel="Save integration"
        onSubmit={async () => {
          await api.send('PUT', `/api/v1/integrations/${encodeURIComponent(type)}/${encodeURIComponent(name.trim())}`, { settings: parseSettings(settings) });
          setName('');
          list.reload();
        }}
      >
        <FormField label="Type">
          <select name="type" value={type} onChange={(e) => setType(e.target.value)}>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </FormField>
        <TextField label="Name" name="name" required value={name} onChange={setName} />
        <FormField label="Settings (one key=value a line, or JSON)" style={{ flex: '1 1 280px' }}>
          <textarea name="settings" rows={3} value={settings} onChange={(e) => setSettings(e.target.value)} />
        </FormField>
      </GuardedForm>
      <ErrorNote error={list.error} />
      <ResourceTable
        wrap
        columns={['Type', 'Name', 'Settings', 'Created', 'Connection']}
        rows={list.items}
        rowKey={keyOf}
        renderCells={(i) => {
          const result = results[keyOf(i)];
          return (
            <>
              <td>{i.type}</td>
              <td>{i.name}</td>
              <td>
                <code style={{ wordBreak: 'break-all' }}>{JSON.stringify(i.settings)}</code>
              </td>
              <td>{formatTime(i.createdAtIso)}</td>
              <td>
                <RowAction
                  resource="integration"
                  id={`test-${i.type}-${i.name}`}
                  label="Test connection"
                  onError={list.reportError}
                  onClick={async () => {
                    const answer = await api.send<{ ok: boolean; message: string }>('POST', `/api/v1/integrations/${encodeURIComponent(i.type)}/${encodeURIComponent(i.name)}/test`);
                    setResults((r) => ({ ...r, [keyOf(i)]: answer }));
                  }}
                />
                {result ? (
                  <div role="status" className={result.ok ? 'tone-ok' : 'tone-bad'}>
                    {result.ok ? 'Connected' : 'Failed'}: {result.message}
                  </div>
                ) : null}
              </td>
              <td>
                <DeleteRowAction
                  resource="integration"
                  id={`delete-${i.type}-${i.name}`}
                  label={`Delete ${i.name}`}
                  remove={() => api.send('DELETE', `/api/v1/integrations/${encodeURIComponent(i.type)}/${encodeURIComponent(i.name)}`)}
                  list={list}
                />
              </td>
            </>
          );
        }}
      />
    </Page>
  );
}
