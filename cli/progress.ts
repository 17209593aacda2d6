/**
 * Progress on stderr: a redrawn bar on a terminal, an occasional plain line otherwise (CI logs, pipes), nothing
 * when `quiet`. Standard output stays for results, so `--json` output can be piped.
 */
export interface Progress {
  update(done: number, total: number | undefined, label?: string): void;
  done(message?: string): void;
}

export function createProgress(title: string, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, done() {} };
  const tty = Boolean(stream.isTTY);
  let lastLine = Date.now();
  let lastText = '';
  return {
    update(done, total, label = '') {
      const text = total ? `${title} ${bar(done / total)} ${done}/${total} ${label}` : `${title} ${done} ${label}`;
      if (tty) {
        stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`);
      } else if (Date.now() - lastLine > 5000 && text !== lastText) {
        stream.write(`${text}\n`);
        lastLine = Date.now();
      }
      lastText = text;
    },
    done(message) {
      if (tty) stream.write('\r\x1b[2K');
      if (message) stream.write(`${message}\n`);
    },
  };
}

function bar(fraction: number, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
