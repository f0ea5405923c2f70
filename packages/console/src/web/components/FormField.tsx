import type { CSSProperties, ReactNode } from 'react';

/** A visible label around one form control (select, textarea, …): the label names the control for assistive technology. */
export function FormField(props: { label: string; style?: CSSProperties; children: ReactNode }) {
  return (
    <label {...(props.style ? { style: props.style } : {})}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

/** A labelled text input bound to a string state. */
export function TextField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  type?: 'text' | 'email' | 'password';
  pattern?: string;
  autoComplete?: string;
}) {
  const { label, onChange, ...input } = props;
  return (
    <FormField label={label}>
      <input {...input} onChange={(e) => onChange(e.target.value)} />
    </FormField>
  );
}
