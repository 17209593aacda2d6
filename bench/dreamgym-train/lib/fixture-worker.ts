import { parentPort, workerData } from 'node:worker_threads';
import { createRng, hashSeed } from '../../../core/random.ts';
import { startOpenAIServer } from '../../../test/fixtures/openai-server.ts';
import type { ChatRequestBody } from '../../../test/fixtures/openai-server.ts';

// The OpenAI-compatible fixture on its own thread, as a real server would be in its own process: the benchmark then
// measures the rollout engine's event loop, not the stand-in server's.

/** A stand-in LLM: picks one of the listed actions at random (seeded by the conversation), in ReAct format. */
function respond(request: ChatRequestBody): string {
  const last = request.messages.at(-1)!.content;
  const actions = (last.split('Available actions:\n')[1] ?? '').split('\n').filter(Boolean);
  const rng = createRng(hashSeed(last + request.messages.length));
  return `Thought: this one looks right.\nAction: ${actions.length > 0 ? rng.pick(actions) : 'click[buy now]'}`;
}

const server = await startOpenAIServer({ respond, latencyMs: (workerData as { latencyMs: number }).latencyMs });
parentPort!.postMessage({ url: server.url });
parentPort!.on('message', async () => {
  const maxInFlight = server.maxInFlight;
  await server.close();
  parentPort!.postMessage({ maxInFlight });
});
