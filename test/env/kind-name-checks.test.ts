import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * DreamGym and early experience decide nothing by the environment's name (issue 12): no code under `core/dreamgym/`
 * or `core/early/` holds the string `'shop'` (a comparison `env === 'shop'`, a `case 'shop':`, a lookup by it), so
 * what the shop does differently is said by its kind's hooks, which a plug-in can bring too. Comments are not code.
 *
 * Allowed, each the user-facing default of an environment spec, not a decision:
 * - `.default('shop')`: a zod schema's default of `--env` / `env` (the built-in shop when the user names none);
 * - `x ?? 'shop'`: the same default for an option left out (early experience's `env`).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const NAME = 'shop';

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.posix.join(folder, name.split(path.sep).join('/')));
}

/** Whether a string literal is the default value of a spec (see the allow-list above). */
function isDefaultValue(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) return parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && parent.right === node;
  return ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === node
    && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'default';
}

/** Every string literal `'shop'` in the source that is not a default value, as `file:line: code`. */
function nameChecks(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text === NAME && !isDefaultValue(node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${file}:${line + 1}: ${text.split('\n')[line].trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('DreamGym and early experience decide nothing by the name "shop"', () => {
  it('sees a comparison, a case and a lookup, and lets defaults and comments pass', () => {
    const code = [
      "const a = env === 'shop' ? 1 : 2;",
      'if ("shop" !== spec.trim()) run();',
      "switch (env) { case 'shop': break; }",
      'const kind = environmentKind(`shop`);',
      "const b = ['shop', 'http'].includes(env);",
      "const Schema = z.object({ env: EnvSpecSchema.default('shop') });",
      "const spec = options.env ?? 'shop';",
      "/** `env === 'shop'` in a comment */ const c = 1; // 'shop'",
      "const d = '\"shop\" or a URL';",
    ].join('\n');
    expect(nameChecks('example.ts', code).map((f) => f.split(':')[1])).toEqual(['1', '2', '3', '4', '5']);
  });

  it('finds no such check in any file of core/dreamgym or core/early', () => {
    const files = [...filesUnder('core/dreamgym'), ...filesUnder('core/early')];
    expect(files.length).toBeGreaterThan(60);
    expect(files.flatMap((file) => nameChecks(file, readFileSync(path.join(ROOT, file), 'utf8')))).toEqual([]);
  });
});
