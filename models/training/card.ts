import type { CurveSummary } from '../../core/backfill/eval/curve-summary.ts';
import { DEFAULT_SPLIT } from '../../core/backfill/datasets/split.ts';
import { TRAINING_CONFIG } from './config.ts';
import type { TrainedDataset } from './pipeline.ts';

const f3 = (x: number | null) => (x === null ? 'n/a' : Math.abs(x) < 5e-4 ? '0.000' : x.toFixed(3));
const f4 = (x: number) => x.toFixed(4);

/** The three model cards of one dataset, as markdown, keyed by model name. */
export function modelCards(t: TrainedDataset): Record<'old' | 'new' | 'psi', string> {
  const r = t.report;
  const c = TRAINING_CONFIG;
  const command = `node models/train.ts --dataset ${t.dataset}`;
  const split = `Split: \`splitImageSet(images)\` with seed ${DEFAULT_SPLIT.seed}, stratified by class: ` +
    `${(DEFAULT_SPLIT.queryFraction * 100).toFixed(0)}% query (${r.queryCount}), ${(DEFAULT_SPLIT.galleryFraction * 100).toFixed(0)}% gallery (${r.gallerySize}), ` +
    `the rest train (${t.trainSize}). Models and ψ are trained on train only; queries are never in the gallery.`;
  const io = (input: string) => `Input: ${input}. Output \`embedding\`: float32 \`[N, ${c.new.dims.at(-1)}]\`, L2-normalised (compare with the inner product / cosine).`;
  const imageInput = 'tensor `image`, float32 NCHW `[N, 1, 28, 28]`, pixel values scaled to [0, 1] (uint8 / 255), no mean/std normalisation';
  const file = (name: 'old' | 'new' | 'psi') =>
    `File: \`models/${t.dataset}/${name}.onnx\`, ${(t.files[name].bytes / 1024).toFixed(0)} KiB, ${t.files[name].parameters.toLocaleString('en-US')} parameters, ONNX opset 13. ` +
    `Max |ONNX − tfjs| on the ${r.queryCount} query images: ${t.files[name].maxAbsDiffVsTfjs.toExponential(2)}.`;
  const curve = (s: CurveSummary) => s.curve.map((p) => `${(p[0] * 100).toFixed(0)}%: ${f3(p[1])}`).join(', ');
  const modesTable = ['| mode | AUC (mAP) | relative gain | negative flips | mAP curve |', '|---|---|---|---|---|',
    ...Object.entries(r.modes).map(([m, s]) => `| ${m} | ${f4(s.auc)} | ${f3(s.relativeGain)} | ${s.negativeFlips} | ${curve(s)} |`)].join('\n');
  const common = `Data: ${t.dataset} (${r.gallerySize + r.queryCount + t.trainSize} images, 10 classes). ${split}\n\nTraining command (reproducible, fixed seeds, tfjs wasm backend): \`${command}\` (all three models of the dataset, about ${Math.round(t.seconds.total)} s on 2 CPU cores).`;
  const metrics = `Retrieval metrics (measured with the exported ONNX files on the query/gallery split; relevant = same class):\n\n| model | mAP | top-1 |\n|---|---|---|\n| old | ${f4(r.mAP.old)} | ${f4(r.top1.old)} |\n| new | ${f4(r.mAP.new)} | ${f4(r.top1.new)} |`;
  const old = `# ${t.dataset} · old embedding model\n\nThe "before the upgrade" model of the online-backfilling method (BACKFILL.md): deliberately the weaker one.\n\n${common}\n\n` +
    `Architecture: MLP ${c.old.dims.join(' → ')} (ReLU between layers, none after the last), then L2 normalisation.\n` +
    `Training: softmax cross-entropy through a linear ${c.old.dims.at(-1)} → 10 head (dropped after training) on a random ${t.oldTrainSize.toLocaleString('en-US')}-image subset of train; ` +
    `${c.old.epochs} epochs, batch ${c.old.batchSize}, Adam lr ${c.old.learningRate}, Glorot-uniform init from seed ${c.seed}.\n\n${io(imageInput)}\n\n${file('old')}\n\n${metrics}\n`;
  const neu = `# ${t.dataset} · new embedding model\n\nThe upgraded model, trained with the metric-compatible contrastive loss against the old model's space (BACKFILL.md).\n\n${common}\n\n` +
    `Architecture: MLP ${c.new.dims.join(' → ')} (ReLU between layers, none after the last), then L2 normalisation.\n` +
    `Training: jointly with ψ on all ${t.trainSize.toLocaleString('en-US')} train images, ${c.new.epochs} epochs, batch ${c.new.batchSize}, Adam lr ${c.new.learningRate}. ` +
    `Loss: one supervised-contrastive softmax (temperature ${c.new.temperature}) over two candidate blocks, new·newᵀ (self excluded) and ψ(new)·oldᵀ ` +
    `(old = the frozen old model's features), so a same-class item in either space must outscore different-class items of both spaces; ` +
    `plus ${c.new.alignWeight} × mean(1 − cos(ψ(new(x)), old(x))).\n\n${io(imageInput)}\n\n${file('new')}\n\n${metrics}\n\n` +
    `Gain over old: ${f4(r.mAP.new - r.mAP.old)} mAP.\n`;
  const psi = `# ${t.dataset} · ψ, reverse transformation new → old\n\nMaps a new-model embedding into the old model's space, so that during a backfill only the new model runs on queries ` +
    `(\`rt-merge\`): old-part items are scored with ψ(new(q))·old(g), backfilled items with new(q)·new(g).\n\n${common}\n\n` +
    `Architecture: MLP ${c.new.psiDims.join(' → ')} (ReLU), then L2 normalisation. Trained jointly with the new model (loss above), then ${c.new.psiEpochs} more epoch(s) on its own with the new model frozen.\n\n` +
    `${io(`tensor \`features\`, float32 \`[N, ${c.new.psiDims[0]}]\`: the new model's embedding`)}\n\n${file('psi')}\n\n` +
    `Backfill evaluation (gallery backfilled in a random order, seed ${c.evalSeed}; relative gain = (AUC − old mAP) / (new mAP − old mAP); a negative flip is a point below the old model's mAP):\n\n${modesTable}\n`;
  return { old, new: neu, psi };
}
