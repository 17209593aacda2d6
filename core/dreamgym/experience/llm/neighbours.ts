import type { BufferedTransition, RetrievedTransition, TransitionRetriever } from '../experience-model.ts';

/** One retrieved transition of D_k. */
export type Neighbour = RetrievedTransition;

/**
 * D_k for (state, action): the top-k similar transitions, most similar first, ties broken by transition id, so the
 * same buffer gives the same prompt whatever order the retriever returned them in. `exclude` drops transitions
 * before the cut (the teacher excludes the trajectory it annotates, whose next state would give the answer away).
 *
 * @example
 * const dk = await retrieveNeighbours(buffer, 'page: search', 'search[red shirt]', 3);
 */
export async function retrieveNeighbours(
  retriever: TransitionRetriever | undefined,
  state: string,
  action: string,
  k: number,
  exclude?: (transition: BufferedTransition) => boolean,
): Promise<Neighbour[]> {
  if (!retriever || k <= 0) return [];
  // Ask for a few extra so that excluding the annotated trajectory's own steps still leaves k.
  const asked = exclude ? k + 16 : k;
  const found = await retriever.retrieve(state, action, asked);
  return found
    .filter((n) => !exclude?.(n.transition))
    .sort((a, b) => b.similarity - a.similarity || (a.transition.id < b.transition.id ? -1 : a.transition.id > b.transition.id ? 1 : 0))
    .slice(0, k);
}
