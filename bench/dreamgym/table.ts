import fs from 'node:fs/promises';
import path from 'node:path';

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: readonly (readonly [string, string | number])[]): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${title}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${typeof value === 'number' ? format(value) : value}`);
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** Writes a benchmark's result JSON under bench/results/. */
export async function writeResult(name: string, result: unknown): Promise<string> {
  const file = path.join(import.meta.dirname, '..', 'results', `${name}.json`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
