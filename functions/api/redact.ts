import os from 'node:os';
import type { Store } from '../../core/store/store.ts';
import type { ExecutionRecord } from '../../core/workflow/execution.ts';

/**
 * What a public response may not show: where the store lives on the server and the server's own folders. Messages
 * keep their meaning with the location replaced by `<store>` (or `<server>`), so a reader can still act on them.
 */
export function redactor(store: Store): (text: string) => string {
  const root = store.uri.startsWith('file://') ? store.uri.slice('file://'.length) : undefined;
  const replacements: Array<[string, string]> = [[store.uri, '<store>']];
  if (root) replacements.push([root, '<store>']);
  for (const dir of [process.cwd(), os.homedir(), os.tmpdir()]) if (dir.length > 1) replacements.push([dir, '<server>']);
  // Longest first, so a store under the working directory is named as the store.
  replacements.sort((a, b) => b[0].length - a[0].length);
  return (text) => replacements.reduce((out, [from, to]) => out.split(from).join(to), text);
}

/** An execution record as the API shows it: no runner host or pid, no server paths in its error or output. */
export function publicRecord(record: ExecutionRecord, redact: (text: string) => string): ExecutionRecord {
  const { runner: _runner, ...rest } = record;
  // Every string of the record, the output's included, is redacted; JSON text is where they all are at once.
  return JSON.parse(redact(JSON.stringify(rest))) as ExecutionRecord;
}
