/**
 * An integration's settings as typed in the console: a JSON object, or one `key=value` a
 * line (numbers and booleans kept as such). Throws with the line that is wrong.
 */
export function parseSettings(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`Settings: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Settings: the JSON must be an object');
    return parsed as Record<string, unknown>;
  }
  const settings: Record<string, unknown> = {};
  trimmed.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Settings line ${index + 1}: expected key=value`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    settings[key] = value === 'true' ? true : value === 'false' ? false : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  });
  return settings;
}
