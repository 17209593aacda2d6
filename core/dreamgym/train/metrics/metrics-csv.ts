/** One tracker row: `step` and flat metric keys (`train/mean_reward`), as W&B's history and CSV importers read them. */
export type MetricsRow = { step: number } & Record<string, number | string | boolean | null>;

/**
 * Rows as CSV with a header line: the union of the rows' keys, `step` first, in order of first appearance; a row
 * without a key leaves its cell empty. Text cells with a comma, quote or newline are quoted (RFC 4180).
 *
 * @example
 * metricsCsv([{ step: 1, 'train/mean_reward': 0.5 }]); // 'step,train/mean_reward\n1,0.5\n'
 */
export function metricsCsv(rows: readonly MetricsRow[]): string {
  const columns = ['step', ...new Set(rows.flatMap((r) => Object.keys(r)).filter((k) => k !== 'step'))];
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}
