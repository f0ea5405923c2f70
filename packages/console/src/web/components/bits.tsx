import type { ReactNode } from 'react';
import { statusTone } from '../logic/format.js';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge tone-${statusTone(status)}`}>{status.replace(/_/g, ' ')}</span>;
}

/** A button that, when disabled, says why (visibly and to assistive technology). */
export function ActionButton(props: { label: string; disabledReason?: string; onClick: () => void; busy?: boolean; variant?: 'primary' | 'danger'; id?: string; name?: string }) {
  const reasonId = props.id ? `${props.id}-why` : undefined;
  const disabled = props.disabledReason !== undefined || props.busy === true;
  return (
    <div className="action">
      <button
        type="button"
        className={props.variant}
        disabled={disabled}
        aria-describedby={props.disabledReason && reasonId ? reasonId : undefined}
        onClick={props.onClick}
        title={props.disabledReason}
        data-action={props.name}
      >
        {props.busy ? `${props.label}…` : props.label}
      </button>
      {props.disabledReason ? <small id={reasonId}>{props.disabledReason}</small> : null}
    </div>
  );
}

export function ErrorNote({ error }: { error?: string | undefined }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {error}
    </div>
  );
}

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
        <h1>{title}</h1>
        {actions}
      </div>
      {children}
    </>
  );
}
