import type { EnvironmentPayload } from '../api/types.js';
import { layoutDag } from '../logic/dag-layout.js';
import { statusTone } from '../logic/format.js';

const NODE_W = 220;
const NODE_H = 54;
const GAP_X = 60;
const GAP_Y = 18;

/** The targets as a left-to-right graph; each node shows its status. Fixed geometry: live updates never move it. */
export function DagView({ environments, onSelect, selected }: { environments: EnvironmentPayload[]; onSelect: (name: string) => void; selected?: string | undefined }) {
  const layout = layoutDag(environments);
  const position = new Map(layout.nodes.map((n) => [n.name, { x: n.column * (NODE_W + GAP_X) + 4, y: n.row * (NODE_H + GAP_Y) + 4 }]));
  const width = Math.max(1, layout.columns) * (NODE_W + GAP_X) - GAP_X + 8;
  const height = Math.max(1, layout.rows) * (NODE_H + GAP_Y) - GAP_Y + 8;
  const byName = new Map(environments.map((e) => [e.name, e]));
  return (
    <div className="dag">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="group" aria-label="Targets and their order">
        {layout.edges.map((edge) => {
          const from = position.get(edge.from);
          const to = position.get(edge.to);
          if (!from || !to) return null;
          const x1 = from.x + NODE_W;
          const y1 = from.y + NODE_H / 2;
          const x2 = to.x;
          const y2 = to.y + NODE_H / 2;
          const mid = (x1 + x2) / 2;
          return <path key={`${edge.from}-${edge.to}`} className="dag-edge" d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`} aria-hidden="true" />;
        })}
        {layout.nodes.map((node) => {
          const env = byName.get(node.name);
          const at = position.get(node.name);
          if (!env || !at) return null;
          const tone = statusTone(env.status);
          return (
            <g
              key={node.name}
              className="dag-node"
              transform={`translate(${at.x},${at.y})`}
              role="button"
              tabIndex={0}
              aria-pressed={selected === env.name}
              onClick={() => onSelect(env.name)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect(env.name);
                }
              }}
              style={{ cursor: 'pointer' }}
            >
              <rect width={NODE_W} height={NODE_H} rx={8} strokeWidth={selected === env.name ? 3 : 1} />
              <rect width={6} height={NODE_H} rx={3} className={`tone-${tone}`} fill="currentColor" stroke="none" />
              <text x={14} y={22} fontWeight={600}>
                {truncate(env.name, 24)}
              </text>
              <text x={14} y={42} className={`tone-${tone}`} fill="currentColor">
                {env.status.replace(/_/g, ' ')}
                {env.weight !== null ? ` · ${env.weight}%` : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
