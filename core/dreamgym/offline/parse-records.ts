import { TrajectoryRecordSchema } from './trajectory-record.ts';
import type { TrajectoryRecord } from './trajectory-record.ts';

/** A line that is not a valid trajectory record, with where it came from and why. */
export interface MalformedRecord {
  /** The object key or file name the text came from, when the caller said. */
  readonly source?: string;
  /** 1-based line number within the text. */
  readonly line: number;
  /** The record's id, when the line parsed far enough to have one. */
  readonly id?: string;
  readonly message: string;
}

export interface ParsedRecords {
  readonly records: TrajectoryRecord[];
  readonly malformed: MalformedRecord[];
}

/**
 * Reads JSONL trajectory records. Blank lines are skipped; every other line is either a record or a `malformed`
 * entry naming its source, line, id (when present) and the first problem, so nothing is dropped silently.
 *
 * @example
 * const { records, malformed } = parseTrajectoryJsonl(text, { source: 'offline/shop/part-0000.jsonl' });
 * for (const bad of malformed) console.warn(`${bad.source}:${bad.line} ${bad.id ?? ''} ${bad.message}`);
 */
export function parseTrajectoryJsonl(text: string, options: { source?: string } = {}): ParsedRecords {
  const records: TrajectoryRecord[] = [];
  const malformed: MalformedRecord[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '') continue;
    const where = { source: options.source, line: index + 1 };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      malformed.push({ ...where, message: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = TrajectoryRecordSchema.safeParse(value);
    if (parsed.success) {
      records.push(parsed.data);
      continue;
    }
    const id = value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
      ? (value as { id: string }).id
      : undefined;
    const issue = parsed.error.issues[0];
    malformed.push({ ...where, id, message: `${issue.path.join('.') || '(record)'}: ${issue.message}` });
  }
  return { records, malformed };
}

/** One JSONL line per record, for writers. */
export function toJsonl(records: Iterable<TrajectoryRecord>): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}
