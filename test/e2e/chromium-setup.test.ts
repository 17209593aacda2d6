import { afterEach, describe, expect, it } from 'vitest';
import { ChromiumMissingError, ensureChromium } from '../helpers/chromium.ts';

describe('browser-test set-up', () => {
  const saved = process.env.REVERIE_TEST_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.REVERIE_TEST_CHROMIUM;
    else process.env.REVERIE_TEST_CHROMIUM = saved;
  });

  it('uses the Chromium named by REVERIE_TEST_CHROMIUM', () => {
    process.env.REVERIE_TEST_CHROMIUM = process.execPath;
    expect(ensureChromium()).toBe(process.execPath);
  });

  it('fails with one line that says what to install when the named Chromium is missing', () => {
    process.env.REVERIE_TEST_CHROMIUM = '/nonexistent/chromium';
    let caught: unknown;
    try {
      ensureChromium();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChromiumMissingError);
    const error = caught as Error;
    expect(error.message).toMatch(/sudo apt-get install chromium/);
    expect(error.message).not.toContain('\n');
    expect(error.stack).not.toContain('\n');
  });
});
