import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('onnxruntime', () => {
  it('writes nothing outside the store: no debug log in the temporary folder, no telemetry under the home folder', async () => {
    const home = await tempDir('home-');
    const tmp = await tempDir('tmp-');
    const script = `
      const { loadOnnxRuntime } = await import(${JSON.stringify(path.join(ROOT, 'core/onnx-runtime.ts'))});
      const session = await loadOnnxRuntime().InferenceSession.create(${JSON.stringify(path.join(ROOT, 'models/mnist/old.onnx'))});
      console.log(session.inputNames.join(','));`;
    const { ORT_DISABLE_TELEMETRY: _set, ...env } = process.env;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...env, HOME: home, TMPDIR: tmp } });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}`))));
    });
    expect(out.trim()).toBe('image');
    expect(await fs.readdir(tmp)).toEqual([]);
    expect(await fs.readdir(home)).toEqual([]);
  });
});
