import { chartDomain, type AnalysisSeries } from '../logic/analysis-series.js';

const W = 360;
const H = 160;
const PAD = { left: 48, right: 12, top: 12, bottom: 24 };

/** One metric's measurements as a line, its limits as dashed lines; a table carries the same numbers for screen readers. */
export function AnalysisChart({ series }: { series: AnalysisSeries }) {
  const { min, max } = chartDomain(series);
  const n = series.points.length;
  const x = (i: number) => PAD.left + (n <= 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (H - PAD.top - PAD.bottom);
  const valued = series.points.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null);
  const path = valued.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.value as number).toFixed(1)}`).join(' ');
  const title = `${series.query}${series.target ? ` (${series.target})` : ''}`;
  return (
    <figure className="card chart" style={{ margin: 0 }}>
      <figcaption style={{ fontWeight: 600, marginBottom: 6, wordBreak: 'break-all' }}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`Chart of ${title}: ${n} measurement${n === 1 ? '' : 's'}`}>
        <line className="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end">{round(max)}</text>
        <text x={PAD.left - 4} y={H - PAD.bottom} textAnchor="end">{round(min)}</text>
        {series.upperLimit !== undefined ? (
          <>
            <line className="limit" x1={PAD.left} x2={W - PAD.right} y1={y(series.upperLimit)} y2={y(series.upperLimit)} />
            <text x={W - PAD.right} y={y(series.upperLimit) - 3} textAnchor="end">upper {round(series.upperLimit)}</text>
          </>
        ) : null}
        {series.lowerLimit !== undefined ? (
          <>
            <line className="limit" x1={PAD.left} x2={W - PAD.right} y1={y(series.lowerLimit)} y2={y(series.lowerLimit)} />
            <text x={W - PAD.right} y={y(series.lowerLimit) + 12} textAnchor="end">lower {round(series.lowerLimit)}</text>
          </>
        ) : null}
        {path ? <path className="line" d={path} /> : null}
        {valued.map((p) => (
          <circle key={p.i} cx={x(p.i)} cy={y(p.value as number)} r={4} className={p.result === 'pass' || p.result === 'PASS' ? 'pass' : /fail/i.test(p.result) ? 'fail' : 'other'} />
        ))}
      </svg>
      <details>
        <summary>Measurements</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Value</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {series.points.map((p, i) => (
              <tr key={i}>
                <td>{p.run}</td>
                <td>{p.value === null ? 'no data' : round(p.value)}</td>
                <td>{p.result}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function round(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
