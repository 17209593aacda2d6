/**
 * The indexes of the k highest scores, best first, ties to the lower index: a bounded insertion list, since k is
 * small next to the number of scores and most scores lose to the current k-th at the first comparison.
 */
export function bestGroups(scores: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    // Scanning in increasing index, an equal score never beats one already kept.
    if (top.length === k && !(score > scores[top[k - 1]])) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && score > scores[top[at - 1]]) at--;
    if (top.length === k) top.pop();
    top.splice(at, 0, i);
  }
  return top;
}
