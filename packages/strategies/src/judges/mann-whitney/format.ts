/** Numbers in reasons, for people: a few significant digits, no float noise. */

export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000 && a < 1e9) return String(Math.round(x));
  if (a >= 1e-4 && a < 1000) return String(Number(x.toPrecision(3)));
  return x.toExponential(2);
}

/** `31.0×`, `1.05×`: one decimal from 10 up, two below. */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return Number.isNaN(r) ? 'NaN×' : r > 0 ? '∞×' : '-∞×';
  return `${Math.abs(r) >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(4))}%`;
}
