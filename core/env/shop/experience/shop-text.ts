/** Lower-case word tokens as the shop's text uses them: `t-shirt`, `1.7` and `12` stay whole. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:[-.'][a-z0-9]+)*/g) ?? [];
}

/** Lower case, single spaces, trimmed: how the action language compares arguments. */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The key a search is remembered under: its distinct words, sorted. The buffer shows a query's results depend on
 * its words and not their order, so `cotton t-shirt` and `t-shirt cotton` share what was learned about either.
 */
export function queryKey(query: string): string {
  return [...new Set(words(query))].sort().join(' ');
}
