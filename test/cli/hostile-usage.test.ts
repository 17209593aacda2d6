import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const NO_TRACE = /\n\s+at |node:internal|internal error/;

describe('the CLI given bad usage or a hostile machine', () => {
  it('exits 2 with one line for bad usage and bad input, and never prints a stack trace', async () => {
    const root = await tempDir();
    const env = { REVERIE_STORE: `file://${root}` };
    const input = path.join(root, 'in.json');
    await writeFile(input, JSON.stringify({ prefix: '../' }));
    const cases: Array<{ args: string[]; env?: Record<string, string>; match: RegExp }> = [
      { args: ['dreamgym', 'run', '--env', 'shop'], match: /--mode is required/ },
      { args: ['workflow', 'run', 'store-verify', '--input', input], match: /prefix/ },
      { args: ['dreamgym', 'run', '--mode', 'synthetic', '--env', 'ftp://x'], match: /env/ },
      { args: ['early', 'run', '--env', 'file:///etc/passwd'], match: /env/ },
      { args: ['config'], env: { REVERIE_TEACHER_MAX_RETRIES: 'lots' }, match: /REVERIE_TEACHER_MAX_RETRIES/ },
      { args: ['config'], env: { REVERIE_POLICY_TIMEOUT_MS: '5' }, match: /REVERIE_POLICY_TIMEOUT_MS/ },
    ];
    const results = await Promise.all(cases.map((c) => runCli(c.args, { ...env, ...c.env })));
    results.forEach((result, i) => {
      const { args, match } = cases[i];
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(match);
      expect(result.stderr).not.toMatch(NO_TRACE);
    });
  });

  it("exits 2 with one line for S2R's budget flags misused", async () => {
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const cases = [
      { args: ['dreamgym', 'run', '--mode', 'synthetic', '--real-budget', '100'], match: /--real-budget apply to --mode s2r only/ },
      { args: ['dreamgym', 'run', '--mode', 's2r', '--real-budget', 'lots'], match: /--real-budget expects a whole number/ },
    ];
    const results = await Promise.all(cases.map((c) => runCli(c.args, env)));
    results.forEach((result, i) => {
      expect(result.code, `${cases[i].args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(cases[i].match);
      expect(result.stderr).not.toMatch(NO_TRACE);
    });
  });

  it('says in one line, without a trace, that a port is in use or a store root is not a folder', async () => {
    const root = await tempDir();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as net.AddressInfo).port);
    const notAFolder = path.join(root, 'file');
    await writeFile(notAFolder, 'x');
    const [serve, store] = await Promise.all([
      runCli(['serve', '--port', port, '--open'], { REVERIE_STORE: `file://${root}` }),
      runCli(['workflow', 'run', 'store-verify', '--json'], { REVERIE_STORE: `file://${notAFolder}` }),
    ]);
    taken.close();
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/port is in use/);
    expect(store.code).toBe(1);
    expect(store.stderr).toMatch(/not a folder/);
    for (const result of [serve, store]) {
      expect(result.stderr).not.toMatch(NO_TRACE);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
