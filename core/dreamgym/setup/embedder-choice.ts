import type { Config } from '../../config/config.ts';
import { ConfigError } from '../../config/config.ts';
import { InvalidInputError } from '../../errors.ts';
import type { EmbedderSpec } from '../embed/open-embedder.ts';

/**
 * Reads an `--embedder` value: `hashed` (built-in, no model), `openai` (the embeddings role's endpoint), `onnx` (the
 * model REVERIE_TEXT_EMBEDDER_ONNX names) or, from the CLI only, `onnx:<model.onnx>` (a sentence-embedding model file
 * with vocab.txt beside it). Workflow inputs, which HTTP requests reach, accept only the first three.
 *
 * @example
 * embedderSpec('onnx:models/minilm/model.onnx', config); // { kind: 'onnx', modelPath: 'models/minilm/model.onnx' }
 */
export function embedderSpec(value: string, config: Config): EmbedderSpec {
  if (value === 'hashed') return { kind: 'hashed' };
  if (value === 'openai') {
    const endpoint = config.llm.embeddings;
    if (!endpoint) throw new ConfigError('--embedder openai needs REVERIE_EMBEDDINGS_BASE_URL and REVERIE_EMBEDDINGS_MODEL');
    return { kind: 'openai', endpoint };
  }
  if (value === 'onnx') {
    // A request names the kind only; the file comes from the configuration.
    if (!config.textEmbedderOnnx) throw new ConfigError('embedder "onnx" needs REVERIE_TEXT_EMBEDDER_ONNX (a sentence-embedding .onnx file)');
    return { kind: 'onnx', modelPath: config.textEmbedderOnnx };
  }
  if (value.startsWith('onnx:') && value.length > 5) return { kind: 'onnx', modelPath: value.slice(5) };
  throw new InvalidInputError(`--embedder must be hashed, openai, onnx (REVERIE_TEXT_EMBEDDER_ONNX) or onnx:<model.onnx>, got "${value}"`);
}

/** A short label for ids: the same embedder choice always maps to the same replay buffer. */
export function embedderLabel(spec: EmbedderSpec): string {
  if (spec.kind === 'hashed') return 'hashed';
  if (spec.kind === 'openai') return `openai-${spec.endpoint.model.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return `onnx-${spec.modelPath.split('/').pop()!.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}
