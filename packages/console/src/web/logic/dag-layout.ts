/**
 * Lays the targets out as a DAG, left to right: a target's column is one more than the
 * deepest target it depends on; rows keep plan order within a column. Unknown dependencies
 * are ignored; a cycle (which the planner refuses) cannot loop here.
 */
export interface DagNodeInput {
  name: string;
  dependsOn: string[];
}

export interface DagLayout {
  nodes: Array<{ name: string; column: number; row: number }>;
  edges: Array<{ from: string; to: string }>;
  columns: number;
  rows: number;
}

export function layoutDag(targets: DagNodeInput[]): DagLayout {
  const byName = new Map(targets.map((t) => [t.name, t]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const deps = (byName.get(name)?.dependsOn ?? []).filter((d) => byName.has(d));
    const value = deps.length === 0 ? 0 : Math.max(...deps.map(depthOf)) + 1;
    visiting.delete(name);
    depth.set(name, value);
    return value;
  };
  const rowsUsed = new Map<number, number>();
  const nodes = targets.map((t) => {
    const column = depthOf(t.name);
    const row = rowsUsed.get(column) ?? 0;
    rowsUsed.set(column, row + 1);
    return { name: t.name, column, row };
  });
  const edges = targets.flatMap((t) => t.dependsOn.filter((d) => byName.has(d)).map((d) => ({ from: d, to: t.name })));
  return {
    nodes,
    edges,
    columns: nodes.length === 0 ? 0 : Math.max(...nodes.map((n) => n.column)) + 1,
    rows: Math.max(0, ...rowsUsed.values()),
  };
}
