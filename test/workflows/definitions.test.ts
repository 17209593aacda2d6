import fs from 'node:fs';
import path from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { functionSpec } from '../../functions/catalog.ts';
import { WORKFLOWS } from '../../workflows/catalog.ts';
import { allStates, functionOf, WORKFLOWS_DIR, type MachineDefinition } from '../../workflows/definitions.ts';

const files = fs.readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.asl.json'));
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as MachineDefinition;

describe('workflow definitions', () => {
  it('has a definition file for every catalogued workflow and a catalog entry for every file', () => {
    expect(files.map((f) => f.replace('.asl.json', '')).sort()).toEqual(WORKFLOWS.map((w) => w.name).sort());
  });

  it.each(files)('%s passes asl-validator', (file) => {
    const result = aslValidator(load(file));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each(files)('%s uses the JSONPath query language', (file) => {
    expect(load(file).QueryLanguage).toBe('JSONPath');
  });

  it.each(files)('%s binds every Task state to a catalogued function', (file) => {
    for (const [name, state] of allStates(load(file))) {
      if (state.Type !== 'Task') continue;
      const fn = functionOf(state.Resource);
      if (fn === undefined) {
        // Service integrations (SQS task-token hand-offs) are allowed, but only these.
        expect(state.Resource, `state ${name}`).toMatch(/^arn:aws:states:::sqs:sendMessage(\.waitForTaskToken)?$/);
      } else {
        expect(functionSpec(fn), `state ${name} names ${fn}`).toBeDefined();
      }
    }
  });
});
