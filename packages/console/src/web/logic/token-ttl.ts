/**
 * The credential form's "token lifetime in hours" as the seconds the hub takes: undefined when
 * empty (the hub's default). Anything else that is not a positive number is refused here, with
 * a message naming the field; the hub checks the bounds (60 s to 365 days).
 */
export function tokenTtlFromHours(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const hours = Number(trimmed);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`Token lifetime: "${trimmed}" is not a positive number of hours`);
  return Math.round(hours * 3600);
}
