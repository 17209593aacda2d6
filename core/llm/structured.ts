import { z } from 'zod';
import { formatIssue } from '../store/json.ts';

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Parses a model's answer against a zod schema, tolerating what servers commonly add around JSON: code fences,
 * a sentence before or after the object.
 *
 * @example
 * parseStructured('```json\n{"a":1}\n```', z.object({ a: z.number() })); // { ok: true, value: { a: 1 } }
 */
export function parseStructured<T>(text: string, schema: z.ZodType<T>): ParseOutcome<T> {
  const json = extractJson(text);
  if (json === undefined) return { ok: false, problem: 'the answer contains no JSON object' };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: parsed.error.issues.slice(0, 5).map(formatIssue).join('; ') };
}

function extractJson(text: string): unknown {
  const candidates = [text.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced) candidates.push(fenced[1].trim());
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start !== -1 && end > start) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/** The `response_format` for a schema: OpenAI-style json_schema, which vLLM, SGLang and llama.cpp also accept. */
export function responseFormatFor(name: string, schema: z.ZodType): {
  type: 'json_schema';
  json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
} {
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete jsonSchema.$schema;
  return { type: 'json_schema', json_schema: { name, schema: jsonSchema, strict: false } };
}
