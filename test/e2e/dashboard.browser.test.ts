import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunReportSchema, type RunReport } from '../../core/report/report-model.ts';
import { ensureChromium } from '../helpers/chromium.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/reverie.js');
const SCREENSHOT = path.resolve(import.meta.dirname, '../../test-results/dashboard.png');

let server: ChildProcess;
let browser: Browser;
let baseUrl: string;
let report: RunReport;

/** Starts `reverie serve --port 0 --open` on the store and resolves with its URL once it is listening. */
function serve(env: Record<string, string>): Promise<string> {
  server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--open'], { env: { PATH: process.env.PATH ?? '', ...env } });
  return new Promise((resolve, reject) => {
    let stderr = '';
    server.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /reverie API on (http:\/\/[\d.]+:\d+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`reverie serve exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  // Chromium first: on a fresh machine this installs Debian's package (or fails with one line saying what to install).
  const executablePath = ensureChromium();
  // Prepare: the main job at its smallest scale fills the store with runs, datasets, a gallery and a report.
  const root = await tempDir('reverie-e2e-');
  const env = { REVERIE_STORE: `file://${root}` };
  const start = await runCli(['start', '--quick', '--json'], env);
  expect(start.code, start.stderr).toBe(0);
  const latest = JSON.parse(fs.readFileSync(path.join(root, 'reports/latest.json'), 'utf8')) as { id: string };
  report = RunReportSchema.parse(JSON.parse(fs.readFileSync(path.join(root, `reports/${latest.id}/report.json`), 'utf8')));
  baseUrl = await serve(env);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

describe('the dashboard in a real browser', () => {
  it('shows runs, the gallery and datasets, draws the plots from the run\'s data, and searches the gallery', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${baseUrl}/dashboard`);

    // Runs, galleries and datasets with their status
    expect(await page.locator('#runs tr[data-execution]').count()).toBeGreaterThan(3);
    expect(await page.locator('#runs .status-SUCCEEDED').count()).toBeGreaterThan(3);
    await expect.poll(() => page.locator('#backfills tr[data-gallery="fashion-mnist-quick"]').textContent()).toContain('complete');
    const datasets = await page.locator('#datasets').textContent();
    expect(datasets).toContain('early experience: IWM');
    expect(datasets).toContain('offline trajectories');

    // Every plotted training point is the report's own number
    const training = report.dreamgym!.modes[0];
    const points = page.locator(`#plots circle[data-series="${training.label}"]`);
    expect(await points.count()).toBe(training.curve.length);
    const plotted = await points.evaluateAll((nodes) => nodes.map((n) => [Number(n.getAttribute('data-x')), Number(n.getAttribute('data-y'))]));
    expect(plotted).toEqual(training.curve);
    const rt = report.backfill!.modes['rt-merge'];
    const yOf = (chart: string) => page.locator(`#plots svg[aria-label^="${chart}"] circle[data-series="rt-merge"]`)
      .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-y'))));
    expect(await yOf('mAP during the backfill')).toEqual(rt.curve.map((p) => p[1]));
    // and so is every per-query flip share
    expect(await yOf('Queries whose top-1 turns right')).toEqual(rt.queryFlipRate!.top1.map((p) => p[1]));
    // the chart is actually laid out on the page, not just present in the DOM
    const box = await page.locator('#plots svg.chart').first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);

    // Search the gallery from the search box: ten thumbnails of rendered images come back
    await page.fill('#search-form input[name="itemId"]', 'q-00000');
    await page.selectOption('#search-form select[name="mode"]', 'rt-merge');
    await page.click('#search-form button[type="submit"]');
    const hits = page.locator('#search-results img.hit');
    await expect.poll(() => hits.count()).toBe(10);
    await expect.poll(() => hits.evaluateAll((imgs) => imgs.every((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth === 28))).toBe(true);
    expect(await page.locator('#search-results p').textContent()).toMatch(/10 hits \(rt-merge, 100% backfilled/);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('reports a search for an unknown item as a message, not a broken page', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/dashboard`);
    await page.fill('#search-form input[name="itemId"]', 'q-99999');
    await page.click('#search-form button[type="submit"]');
    await expect.poll(() => page.locator('#search-results').textContent()).toMatch(/q-99999/);
    expect(await page.locator('#search-results img').count()).toBe(0);
  });
});
