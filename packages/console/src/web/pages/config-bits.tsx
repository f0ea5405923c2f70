import { useState, type FormEvent, type ReactNode } from 'react';
import type { GrantResource } from '../api/types.js';
import { ActionButton, ErrorNote } from '../components/bits.js';
import { useSession } from '../components/session.js';
import { useMutation } from '../components/use-mutation.js';
import type { ResourceList } from '../components/use-resource-list.js';
import { writeRefusal } from '../logic/permissions.js';

/** A form whose submit button is disabled with the reason when the grant is missing. */
export function GuardedForm(props: { resource: GrantResource; label: string; submitLabel: string; onSubmit: () => Promise<void>; children: ReactNode }) {
  const { permissions } = useSession();
  const refusal = writeRefusal(permissions, props.resource);
  const [error, setError] = useState<string | undefined>();
  const { busy, run } = useMutation(setError);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (refusal) return;
    setError(undefined);
    await run(props.onSubmit);
  };
  const id = `form-${props.submitLabel.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <form className="card" aria-label={props.label} onSubmit={(e) => void submit(e)}>
      <div className="form-row">
        {props.children}
        <div className="action">
          <button type="submit" className="primary" disabled={refusal !== undefined || busy} aria-describedby={refusal ? `${id}-why` : undefined}>
            {busy ? `${props.submitLabel}…` : props.submitLabel}
          </button>
          {refusal ? <small id={`${id}-why`}>{refusal}</small> : null}
        </div>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

/** A row's delete (or other write) button, disabled with the reason when the grant is missing. */
export function RowAction(props: { resource: GrantResource; label: string; id: string; onClick: () => Promise<void>; onError: (message: string) => void; variant?: 'danger' | 'primary' }) {
  const { permissions } = useSession();
  const refusal = writeRefusal(permissions, props.resource);
  const { busy, run } = useMutation(props.onError);
  return (
    <ActionButton
      id={props.id}
      label={props.label}
      {...(refusal !== undefined ? { disabledReason: refusal } : {})}
      busy={busy}
      {...(props.variant ? { variant: props.variant } : {})}
      onClick={() => void run(props.onClick)}
    />
  );
}

/** The usual danger-styled row delete: run the request, then reload the list (a failure shows with the list's error). */
export function DeleteRowAction(props: { resource: GrantResource; id: string; label: string; remove: () => Promise<unknown>; list: Pick<ResourceList<unknown>, 'reload' | 'reportError'> }) {
  return (
    <RowAction
      resource={props.resource}
      id={props.id}
      label={props.label}
      variant="danger"
      onError={props.list.reportError}
      onClick={async () => {
        await props.remove();
        props.list.reload();
      }}
    />
  );
}

/** Comma- or space-separated names → list. */
export function namesOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
