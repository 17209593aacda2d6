import { rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ReverseTransformMethod } from '../../../core/backfill/reverse-transform/fit-reverse-transform.ts';
import { trainPsiForCards } from '../../../core/backfill/reverse-transform/train-psi.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';

export const PSI_USAGE =
  'reverie backfill psi train --dataset <folder|s3://bucket/prefix> --old-model OLD.card.json --new-model NEW.card.json --out PSI.json ' +
  '[--method procrustes|least-squares] [--max-items N (20000)] [--held-out F (0.1)] [--seed S] [--json]   ' +
  '# ψ (new → old) for a card pair, for `backfill ingest --psi PSI.json`';

/** `reverie backfill psi train`: fits ψ for two model cards on a set of images and writes the ψ file. */
export async function psi(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      dataset: { type: 'string' }, 'old-model': { type: 'string' }, 'new-model': { type: 'string' }, out: { type: 'string' },
      method: { type: 'string' }, 'max-items': { type: 'string' }, 'held-out': { type: 'string' }, seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals[0] !== 'train' || positionals.length > 1) throw new UsageError(`usage: ${PSI_USAGE}`);
  const [dataset, oldCard, newCard, out] = [values.dataset, values['old-model'], values['new-model'], values.out];
  if (!dataset || !oldCard || !newCard || !out) throw new UsageError(`--dataset, --old-model, --new-model and --out are required; usage:\n${PSI_USAGE}`);
  if (!oldCard.endsWith('.json') || !newCard.endsWith('.json')) throw new UsageError('--old-model and --new-model must be model cards (.card.json)');
  if (!out.endsWith('.json')) throw new UsageError(`--out names the ψ file to write, a .json file; got "${out}"`);
  const methods = Object.values(ReverseTransformMethod) as string[];
  if (values.method !== undefined && !methods.includes(values.method)) throw new UsageError(`--method must be ${methods.join(' or ')}, got "${values.method}"`);
  const heldOut = values['held-out'] === undefined ? undefined : Number(values['held-out']);
  if (heldOut !== undefined && !(heldOut >= 0 && heldOut < 1)) throw new UsageError(`--held-out must be at least 0 and below 1, got "${values['held-out']}"`);
  const runtime = context.runtime();
  const progress = createProgress('training ψ', { quiet: values.json });
  const { text, file } = await trainPsiForCards({
    dataset, oldCard, newCard, method: values.method as ReverseTransformMethod | undefined, heldOutFraction: heldOut,
    maxItems: intOption(values['max-items'], '--max-items', 2, 10_000_000), seed: intOption(values.seed, '--seed', 0, 2 ** 31),
    openStore: runtime.sourceStore, maxPixels: runtime.config.limits.maxImagePixels, maxBytes: runtime.config.limits.maxImageBytes,
    onProgress: (done, stage) => progress.update(done, undefined, stage),
  });
  progress.done();
  // Written beside, then renamed: a failed run never leaves half a ψ file where an earlier one was.
  await writeFile(`${out}.partial`, text);
  await rename(`${out}.partial`, out);
  const summary = { out, method: file.method, dims: { new: file.inDim, old: file.outDim }, trainedOn: file.trainedOn, models: file.models, quality: file.quality };
  if (values.json) {
    context.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  const q = file.quality;
  context.out(`ψ ${file.models.new.name} (${file.inDim}-d) → ${file.models.old.name} (${file.outDim}-d), ${file.method}, written to ${out}`);
  context.out(`  fitted on ${q.trainPairs} images; mean cos(ψ(new), old) ${q.trainMeanCosine.toFixed(4)} on them, ` +
    `${q.heldOutMeanCosine === null ? 'none held out' : `${q.heldOutMeanCosine.toFixed(4)} on ${q.heldOutPairs} held out`}`);
  context.out(`  next: reverie backfill ingest … --old-model ${oldCard} --new-model ${newCard} --psi ${out}`);
  return 0;
}
