import { hfFeatureLines } from './columns.ts';
import type { ExportSource } from './source.ts';

/** What the card states about the written shards: measured sizes and counts, not configured ones. */
export interface CardFacts {
  readonly split: string;
  readonly rows: number;
  readonly bytes: number;
  readonly shards: readonly string[];
  readonly storeUri: string;
  readonly exportedAt: string;
}

/**
 * A Hugging Face dataset card (`README.md`): YAML front matter with `dataset_info` (features, splits with
 * `num_examples`, sizes) and `configs` (`data_files`) as the Hub and `datasets.load_dataset` read it, then prose on how
 * the data was made and the run it came from.
 *
 * @example
 * const card = datasetCard(source, { split: 'train', rows: 1200, bytes: 98304, shards: ['data/train-00000-of-00001.parquet'], … });
 */
export function datasetCard(source: ExportSource, facts: CardFacts): string {
  const yaml = [
    '---',
    'dataset_info:',
    '  features:',
    ...hfFeatureLines(source.columns, '  '),
    '  splits:',
    `  - name: ${facts.split}`,
    `    num_bytes: ${facts.bytes}`,
    `    num_examples: ${facts.rows}`,
    `  download_size: ${facts.bytes}`,
    `  dataset_size: ${facts.bytes}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    `  - split: ${facts.split}`,
    `    path: data/${facts.split}-*`,
    'tags:',
    '- reverie',
    `- ${source.kind}`,
    '---',
  ];
  const provenance = Object.entries(source.provenance).map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`);
  return [
    ...yaml,
    '',
    `# Reverie ${source.kind} dataset \`${source.id}\``,
    '',
    '## How it was made',
    '',
    source.description,
    '',
    '## Where it came from',
    '',
    `Exported by \`reverie export ${source.kind}:${source.id} --format hf\` from the store \`${facts.storeUri}\` at ${facts.exportedAt}.`,
    '',
    '| field | value |',
    '| --- | --- |',
    ...provenance,
    '',
    '## Size',
    '',
    `${facts.rows} rows in ${facts.shards.length} Parquet shard(s), ${facts.bytes} bytes: ${facts.shards.map((s) => `\`${s}\``).join(', ')}.`,
    '',
    '## Use',
    '',
    '```python',
    'from datasets import load_dataset',
    'ds = load_dataset("parquet", data_files={"train": "data/train-*.parquet"})',
    '```',
    '',
  ].join('\n');
}
