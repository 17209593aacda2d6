import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One temporary root for the whole test run, shared with the test processes through REVERIE_TEST_TMP and removed
 * when the run ends, so test stores never pile up in /tmp.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'reverie-tests-'));
  process.env.REVERIE_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
