import type { Job } from '@gridline/shared';
import { BasePage } from './base-page.js';

export class TransferPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/transfer');
    await this.byTestId('import-wizard').waitFor();
  }

  async upload(file: string): Promise<void> {
    await this.page.locator('[data-testid="import-step-upload"] input[type="file"]').setInputFiles(file);
    await this.byTestId('import-step-mapping').waitFor();
  }

  async dryRunThenImport(): Promise<void> {
    await this.byTestId('import-next-options').click();
    await this.byTestId('import-dry-run').click();
    await this.byTestId('import-step-dryrun').waitFor();
    await this.page.locator('[data-testid="import-run"]:not([disabled])').waitFor({ timeout: 60_000 });
    await this.byTestId('import-run').click();
    await this.byTestId('import-step-result').waitFor();
    await this.page.locator('[data-testid="import-step-result"] [data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
  }

  async count(kind: 'created' | 'updated' | 'unchanged' | 'skipped' | 'rejected'): Promise<number> {
    const text = (await this.byTestId(`import-count-${kind}`).textContent()) ?? '';
    return Number(/(\d[\d,]*)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
  }

  /** Fetches the file behind a job's download button with the page's session. */
  async download(scope: string): Promise<Buffer> {
    const href = await this.page.locator(`${scope} [data-testid="job-download"]`).first().getAttribute('href');
    if (!href) throw new Error('no download link');
    const res = await this.page.request.get(new URL(href, this.baseUrl).toString());
    if (!res.ok()) throw new Error(`download failed: ${res.status()}`);
    return Buffer.from(await res.body());
  }

  async latestJob(): Promise<Job | undefined> {
    const res = await this.page.request.get(`${this.baseUrl}/api/jobs`);
    return ((await res.json()) as { items: Job[] }).items[0];
  }
}
