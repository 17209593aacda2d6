import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** How to get Chromium by hand, for the one line a machine that cannot install it prints. */
export const INSTALL_HINT = "install Debian's Chromium (`sudo apt-get install chromium`), or set REVERIE_TEST_CHROMIUM to a Chromium executable";

/** Why the browser test cannot run, as one line: vitest shows the message and no stack. */
export class ChromiumMissingError extends Error {
  constructor(reason: string) {
    super(`the dashboard browser test needs Chromium: ${reason}; ${INSTALL_HINT}`);
    this.name = 'ChromiumMissingError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * The Chromium executable for browser tests. `REVERIE_TEST_CHROMIUM` wins; otherwise Debian's `/usr/bin/chromium`,
 * installed with apt-get on first use when this user may (root, or sudo without a password), so `npm ci && npm test`
 * is the whole set-up on a fresh machine. A machine that cannot install it gets a `ChromiumMissingError`.
 */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const chosen = process.env.REVERIE_TEST_CHROMIUM;
  if (chosen) {
    if (!isExecutable(chosen)) throw new ChromiumMissingError(`REVERIE_TEST_CHROMIUM=${chosen} is not an executable file`);
    return chosen;
  }
  if (isExecutable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const sudo = installPrefix();
  if (sudo === undefined) throw new ChromiumMissingError(`${DEBIAN_CHROMIUM} is missing and this user is neither root nor allowed passwordless sudo`);
  log(`installing Debian's chromium for the browser test (first run on this machine only)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another test run may hold the dpkg lock; wait for it rather than fail.
  const aptGet = (...args: string[]) => {
    const command = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args];
    execFileSync(command[0], command.slice(1), { env, stdio: 'pipe' });
  };
  try {
    aptGet('update', '-qq');
    aptGet('install', '-y', '-qq', 'chromium');
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').pop() ?? '';
    throw new ChromiumMissingError(`apt-get install chromium failed (${stderr || (error as Error).message})`);
  }
  if (!isExecutable(DEBIAN_CHROMIUM)) throw new ChromiumMissingError(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is still missing`);
  return DEBIAN_CHROMIUM;
}

/** `[]` when running as root, `['sudo', '-n']` when passwordless sudo works, undefined when neither. */
function installPrefix(): string[] | undefined {
  if (process.getuid?.() === 0) return [];
  const probe = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? ['sudo', '-n'] : undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
