/** Lower-case word tokens; hyphenated and dotted words stay whole so `t-shirt` and `1.7` are one token each. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:[-.'][a-z0-9]+)*/g) ?? [];
}

/** Lower case, single spaces, trimmed: how queries, option values and click targets are compared. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
