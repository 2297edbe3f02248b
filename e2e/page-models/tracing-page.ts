import type { Download, Locator } from 'playwright-core';
import { BasePage } from './base-page.js';

/** 流调溯源: the clock list of recent cases, one case's contacts with evidence and bulk actions, the chain graph, the report. */
export class TracingPage extends BasePage {
  async open(tab?: 'cases' | 'chains' | 'followup'): Promise<void> {
    await this.goto(`/tracing${tab ? `?tab=${tab}` : ''}`);
    await this.byTestId('tracing-page').waitFor();
  }

  /** Opens a case's tracing from the clock list by its case number. */
  async openCase(caseNo: string): Promise<void> {
    await this.page.locator('[data-testid="clock-cases"] tr', { hasText: caseNo }).first().click();
    await this.byTestId('case-tracing').waitFor();
    await this.page.locator('[data-testid="contact-row"]').first().waitFor();
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="contact-row"][data-name="${name}"]`).first();
  }

  async status(name: string): Promise<string> {
    return (await this.row(name).locator('[data-testid="contact-status"]').textContent()) ?? '';
  }

  /** Expands a contact's row and returns its evidence text. */
  async evidence(name: string): Promise<string> {
    await this.row(name).locator('.ant-table-row-expand-icon').click();
    const ev = this.page.locator('[data-testid="contact-evidence"]').first();
    await ev.waitFor();
    return (await ev.textContent()) ?? '';
  }

  async select(names: string[]): Promise<void> {
    for (const n of names) await this.row(n).locator('input[type="checkbox"]').check();
  }

  async bulk(action: 'confirm' | 'reject' | 'notify'): Promise<void> {
    await this.byTestId(`bulk-${action}`).click();
  }

  async download(format: 'docx' | 'xlsx'): Promise<Download> {
    const link = this.byTestId(`report-${format}`);
    await link.waitFor();
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
    return download;
  }
}
