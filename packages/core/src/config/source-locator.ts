import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { KeyPath } from './key-path.js';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Maps key paths back to line:column in the YAML source. When the path goes deeper than
 * the document (a missing key), the deepest node that exists is reported: that is where
 * the user has to add the key.
 */
export class SourceLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly source: string,
  ) {}

  /** `atKey` points at the key of the last segment rather than its value (for unknown keys). */
  locate(path: KeyPath, atKey = false): SourcePosition | undefined {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const next = this.child(node, segment);
      if (!next) break;
      node = next.value ?? next.key;
      keyNode = next.key;
    }
    const target = atKey && keyNode ? keyNode : node;
    // An empty document has no node at all; its problems are at the top of the file.
    return this.positionOf(target) ?? { line: 1, column: 1 };
  }

  /** Where a scalar's text begins; block scalars (`|`) begin on the line after their header. */
  scalarStart(path: KeyPath): (SourcePosition & { block: boolean }) | undefined {
    let node: unknown = this.doc.contents;
    for (const segment of path) {
      const next = this.child(node, segment);
      if (!next) return undefined;
      node = next.value;
    }
    if (!isScalar(node) || !node.range) return undefined;
    const start = this.lines.linePos(node.range[0]);
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    return { line: start.line, column: start.col, block };
  }

  /** Leading spaces of a 1-based source line. */
  indentOfLine(line: number): number {
    const start = this.lines.lineStarts[line - 1];
    if (start === undefined) return 0;
    let end = start;
    while (this.source[end] === ' ') end++;
    return end - start;
  }

  private child(node: unknown, segment: string | number): { key?: unknown; value: unknown } | undefined {
    const resolved = isAlias(node) ? node.resolve(this.doc) : node;
    if (isMap(resolved)) {
      const pair = resolved.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      return pair ? { key: pair.key, value: pair.value } : undefined;
    }
    if (isSeq(resolved) && typeof segment === 'number') {
      const item = resolved.items[segment];
      return item === undefined ? undefined : { value: item };
    }
    return undefined;
  }

  private positionOf(node: unknown): SourcePosition | undefined {
    const range = (node as Node | null | undefined)?.range;
    if (!range) return undefined;
    const { line, col } = this.lines.linePos(range[0]);
    return { line, column: col };
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
