/**
 * The text φ(s, a) is computed from: the state, then the action on its own line. Every embedder sees the same
 * text, so a buffer's vectors and its queries are comparable.
 *
 * @example
 * phiText('page: search', 'search[red t-shirt]'); // 'page: search\naction: search[red t-shirt]'
 */
export function phiText(state: string, action: string): string {
  return `${state}\naction: ${action}`;
}
