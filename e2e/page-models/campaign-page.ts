import { BasePage } from './base-page.js';

/** A screening campaign in the console: totals, the coverage map, the table per grid. */
export class CampaignPage extends BasePage {
  async open(id: string): Promise<void> {
    await this.goto(`/screening/${id}`);
    await this.byTestId('campaign-detail').waitFor();
  }

  /** Grid polygons drawn on the coverage map. */
  async mapPolygons(): Promise<number> {
    return this.page.locator('[data-testid="coverage-map"] path.leaflet-interactive').count();
  }

  async tableRows(): Promise<number> {
    return this.page.locator('[data-testid="progress-table"] tbody tr.ant-table-row').count();
  }
}
