import { parseArgs } from 'node:util';
import { checkModelCard } from '../../../core/backfill/models/check-card.ts';
import { UsageError, type CliContext } from '../../context.ts';

export const MODELS_USAGE = 'reverie backfill models check <card.json> [--image FILE] [--json]';

export async function models(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { image: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (positionals[0] !== 'check' || !positionals[1]) throw new UsageError(`usage: ${MODELS_USAGE}`);
  const runtime = context.runtime();
  const check = await checkModelCard(positionals[1], { image: values.image, maxPixels: runtime.config.limits.maxImagePixels, maxBytes: runtime.config.limits.maxImageBytes });
  if (values.json) {
    context.out(JSON.stringify(check, null, 2));
    return 0;
  }
  const { input, output, probe } = check;
  context.out(`${check.name}: ${check.model}`);
  context.out(`  input  "${input.name}" ${input.dtype} [N, ${input.shape.join(', ')}] ${input.layout}, ${input.channelOrder}, shorter side → ${input.resizeShorter}, centre crop`);
  context.out(`  output "${output.name}" [N, ${output.dim}]${output.normalizedByModel ? ', L2-normalised by the model' : ''}`);
  context.out(`  ran ${check.image}: output norm ${probe.outputNorm.toFixed(4)}, first values ${probe.first.join(', ')} (${probe.ms.toFixed(1)} ms)`);
  return 0;
}
