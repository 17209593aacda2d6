import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Runtime } from '../../../adapters/runtime.ts';
import { listGalleryStatuses } from '../../../core/backfill/gallery/gallery-status.ts';
import { listDatasets, recentExecutions } from '../../../core/report/inventory.ts';
import { latestReport } from '../../../core/report/report-store.ts';
import { recentRunMetrics } from '../../../core/report/run-metrics-chart.ts';
import { renderDashboard } from '../dashboard/page.ts';

/** The HTML dashboard at `/` and `/dashboard`, and the latest report as a file at `/report`. */
export function registerDashboardRoutes(app: OpenAPIHono, runtime: Runtime): void {
  const dashboard = async () => {
    const [executions, datasets, report, galleries, runMetrics] = await Promise.all([
      recentExecutions(runtime.store),
      listDatasets(runtime.store),
      latestReport(runtime.store),
      listGalleryStatuses(runtime.store),
      recentRunMetrics(runtime.store),
    ]);
    return renderDashboard({
      executions, datasets, report, runMetrics,
      galleries: galleries.map((g) => ({ id: g.id, status: g.status, fraction: g.backfilledFraction, itemsDone: g.items.backfilled, itemsTotal: g.items.total })),
    });
  };
  app.get('/', (c) => c.redirect('/dashboard'));
  app.get('/dashboard', async (c) => c.html(await dashboard()));
  app.get('/report', async (c) => {
    const report = await latestReport(runtime.store);
    if (!report) return c.json({ error: { code: 'not_found', message: 'no report yet: run npm start' } }, 404);
    return c.html(new TextDecoder().decode(await runtime.store.get(`reports/${report.id}/report.html`)));
  });
}
