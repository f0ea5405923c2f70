import type { ReactNode } from 'react';

/**
 * A configuration list as a table: named column headers, then a last column for row actions whose header
 * is visually hidden but still announced. `renderCells` returns the row's `<td>`s, actions cell included.
 */
export function ResourceTable<T>(props: {
  columns: readonly string[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  renderCells: (row: T) => ReactNode;
  /** `data-*` attributes for a row (tests and scripts find rows by them). */
  rowData?: (row: T) => Record<`data-${string}`, string>;
  /** Scroll horizontally inside a wrapper instead of widening the page (wide tables). */
  wrap?: boolean;
}) {
  const table = (
    <table>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} {...props.rowData?.(row)}>
            {props.renderCells(row)}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return props.wrap ? <div className="table-wrap">{table}</div> : table;
}
