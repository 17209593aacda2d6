/** What a definition's placeholders resolve to when it is deployed. */
export interface DeployRefs {
  /** `${fn:<name>}` → the function's ARN. */
  functions: Record<string, string>;
  /** `${queue:<name>}` → the queue's URL. */
  queues: Record<string, string>;
}

const FN = /\$\{fn:([a-z0-9-]+)\}/g;
const QUEUE = /\$\{queue:([a-z0-9-]+)\}/g;

/** The functions and queues a definition's text names. */
export function placeholdersOf(text: string): { functions: string[]; queues: string[] } {
  return {
    functions: [...new Set([...text.matchAll(FN)].map((m) => m[1]))],
    queues: [...new Set([...text.matchAll(QUEUE)].map((m) => m[1]))],
  };
}

/**
 * A definition's text as infra deploys it: every `${fn:<name>}` replaced by the function's ARN and every
 * `${queue:<name>}` by the queue URL. infra/workflows.ts and the deploy check share it, so what is checked is what
 * is deployed.
 */
export function renderDefinition(text: string, refs: DeployRefs): string {
  const lookup = (kind: string, table: Record<string, string>, name: string) => {
    const value = table[name];
    if (value === undefined) throw new Error(`definition names ${kind} "${name}", which infra does not create`);
    return value;
  };
  return text
    .replace(FN, (_, fn: string) => lookup('function', refs.functions, fn))
    .replace(QUEUE, (_, q: string) => lookup('queue', refs.queues, q));
}
