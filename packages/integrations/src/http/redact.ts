/** Replaces every occurrence of the given secrets (and their Basic-auth encoding) with `[redacted]`. */
export type Redactor = (text: string) => string;

export function createRedactor(secrets: Array<string | undefined>): Redactor {
  const needles = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (needles.length === 0) return (text) => text;
  // Longest first, so that a secret containing another is replaced whole.
  needles.sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((out, needle) => out.split(needle).join('[redacted]'), text);
}
