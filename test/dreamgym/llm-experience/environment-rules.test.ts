import { describe, expect, it } from 'vitest';
import { rulesForEnvironment } from '../../../core/dreamgym/experience/llm/environment-rules.ts';
import { registerEnvironmentPlugin } from '../../../core/env/environment-plugins.ts';
import { environmentPlugin as linePlugin } from '../../fixtures/line-env/index.ts';

describe('rulesForEnvironment', () => {
  it('tells the LLM experience model the rules the environment kind brings, and the generic rules where it brings none', () => {
    // Prepare
    registerEnvironmentPlugin(linePlugin);
    // Act
    const line = rulesForEnvironment('line');
    // Assess: the plug-in's own rules (were the generic ones: only `shop` had rules of its own)
    expect(line.name).toBe('line');
    expect(line.checkState?.('line: at 3, target 5')).toBeUndefined();
    expect(line.checkState?.('page: search')).toMatch(/not a line state/);
    expect(rulesForEnvironment('shop').name).toBe('shop');
    expect(rulesForEnvironment('shop').initialState?.({ id: 't', instruction: 'x' })).toBe('page: search');
    expect(rulesForEnvironment('http://localhost:36001').name).toBe('generic');
    expect(rulesForEnvironment('http://localhost:36002#profile=alfworld').name).toBe('generic');
    expect(rulesForEnvironment(undefined).name).toBe('generic');
  });
});
