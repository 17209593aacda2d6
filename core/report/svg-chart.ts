import { escapeHtml, formatNumber } from './html.ts';

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Dashed reference lines (e.g. the old and new model's scores). */
  dashed?: boolean;
  /** Optional per-point spread (e.g. ± across seeds), drawn as a band. */
  spread?: readonly number[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];
const MARGIN = { top: 34, right: 220, bottom: 42, left: 56 };

/**
 * A self-contained SVG line chart (no scripts, no external assets), so reports open anywhere. Each series is a
 * `<path>` with `data-series` and its points as `<circle data-x data-y>`, which is what the browser test inspects.
 *
 * @example
 * lineChart({ title: 'Real success', xLabel: 'iteration', yLabel: 'success', series: [{ name: 'synthetic', points: [[0, 0.1], [1, 0.4]] }] });
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = options.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).concat(options.series.flatMap((s) => s.points.map((p, i) => p[1] + (s.spread?.[i] ?? 0))));
  const [x0, x1] = range(xs, undefined, undefined);
  const [y0, y1] = range(ys.concat(options.series.flatMap((s) => s.points.map((p, i) => p[1] - (s.spread?.[i] ?? 0)))), options.yMin, options.yMax);
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0 || 1)) * plotH;

  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${escapeHtml(options.title)}</text>`);
  for (const tick of ticks(y0, y1)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(tick)}" y2="${sy(tick)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${sy(tick) + 4}" text-anchor="end" font-size="11">${formatNumber(tick, 2)}</text>`);
  }
  for (const tick of ticks(x0, x1)) {
    parts.push(`<text x="${sx(tick)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" font-size="11">${formatNumber(tick, 2)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle" font-size="12">${escapeHtml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(options.yLabel)}</text>`);

  options.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length];
    const name = escapeHtml(series.name);
    if (series.spread && series.points.length > 1) {
      const upper = series.points.map((p, i) => `${sx(p[0])},${sy(p[1] + (series.spread![i] ?? 0))}`);
      const lower = series.points.map((p, i) => `${sx(p[0])},${sy(p[1] - (series.spread![i] ?? 0))}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.12" stroke="none"/>`);
    }
    const d = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path data-series="${name}" d="${d}" fill="none" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (!series.dashed) {
      for (const [x, y] of series.points) {
        parts.push(`<circle data-series="${name}" data-x="${x}" data-y="${y}" cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"><title>${name}: (${formatNumber(x)}, ${formatNumber(y)})</title></circle>`);
      }
    }
    const ly = MARGIN.top + 12 + index * 18;
    parts.push(`<line x1="${width - MARGIN.right + 10}" x2="${width - MARGIN.right + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${width - MARGIN.right + 34}" y="${ly}" font-size="11">${name}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif">${parts.join('')}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
}

/** A horizontal bar chart with value labels (dataset sizes and the like). */
export function barChart(options: { title: string; bars: readonly Bar[]; width?: number; unit?: string }): string {
  const width = options.width ?? 720;
  const rowH = 24;
  const labelW = 260;
  const height = 40 + options.bars.length * rowH + 10;
  const max = Math.max(1, ...options.bars.map((b) => b.value));
  const barW = width - labelW - 90;
  const rows = options.bars.map((bar, i) => {
    const y = 36 + i * rowH;
    const w = Math.max(1, (bar.value / max) * barW);
    const label = escapeHtml(bar.label);
    return `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" font-size="12">${label}</text>` +
      `<rect data-bar="${label}" data-value="${bar.value}" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${PALETTE[i % PALETTE.length]}"/>` +
      `<text x="${labelW + w + 6}" y="${y + 15}" font-size="12">${formatNumber(bar.value)}${options.unit ? ` ${escapeHtml(options.unit)}` : ''}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif"><text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${escapeHtml(options.title)}</text>${rows.join('')}</svg>`;
}

function range(values: number[], min: number | undefined, max: number | undefined): [number, number] {
  const finite = values.filter(Number.isFinite);
  let lo = min ?? (finite.length ? Math.min(...finite) : 0);
  let hi = max ?? (finite.length ? Math.max(...finite) : 1);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

function ticks(lo: number, hi: number, count = 5): number[] {
  const step = niceStep((hi - lo) / count);
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toFixed(10)));
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}
