import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../core/store/npy.ts';
import { tempDir } from '../helpers/runtime.ts';

describe('npy', () => {
  it('round-trips a float32 matrix with a 64-byte aligned header', () => {
    const data = new Float32Array([1.5, -2, 3.25, 0, 1e-7, 42]);
    const bytes = encodeNpy(data, [2, 3]);
    expect((bytes.byteLength - data.byteLength) % 64).toBe(0);
    const back = decodeNpy(bytes);
    expect(back.shape).toEqual([2, 3]);
    expect([...back.data]).toEqual([...data]);
  });

  it('names the file and the problem for a corrupt or truncated shard', () => {
    const bytes = encodeNpy(new Float32Array(8), [2, 4]);
    expect(() => decodeNpy(bytes.subarray(0, bytes.byteLength - 4), 'shard-3.npy')).toThrow(/shard-3.npy is not a valid float32 .npy file: expected 32 data bytes/);
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]), 'x.npy')).toThrow(/bad magic/);
    const float64 = bytes.slice();
    float64[Buffer.from(float64).indexOf('<f4') + 2] = '8'.charCodeAt(0);
    expect(() => decodeNpy(float64, 'y.npy')).toThrow(/dtype <f8/);
  });

  it('is read by numpy when python3 with numpy is available, else checks the header text', async () => {
    const file = path.join(await tempDir(), 'm.npy');
    fs.writeFileSync(file, encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]));
    let numpyOutput: string | undefined;
    try {
      numpyOutput = execFileSync('python3', ['-c', `import numpy; a = numpy.load(${JSON.stringify(file)}); print(a.shape, a.dtype, a.sum())`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      numpyOutput = undefined;
    }
    if (numpyOutput !== undefined) expect(numpyOutput).toBe('(3, 2) float32 21.0');
    const header = fs.readFileSync(file).subarray(10, 80).toString('latin1');
    expect(header).toContain("'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }");
  });
});
