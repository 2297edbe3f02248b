import type { Locator } from 'playwright-core';
import { BasePage } from './base-page.js';

/** The grid worker's field app (/field): my campaigns, my households, the visit form, the sync state. */
export class FieldPage extends BasePage {
  async openHome(): Promise<void> {
    await this.goto('/field');
    await this.byTestId('field-campaigns').waitFor();
  }

  campaign(id: string): Locator {
    return this.page.locator(`[data-testid="field-campaign"][data-id="${id}"]`);
  }

  /** Waits until the campaign's household list is kept on the phone (the card says so). */
  async waitKept(id: string): Promise<void> {
    await this.campaign(id).getByText('已离线保存').waitFor({ timeout: 30_000 });
  }

  async openCampaign(id: string): Promise<void> {
    await this.campaign(id).click();
    await this.byTestId('field-households').waitFor();
  }

  households(state?: 'pending' | 'visited' | 'nobody_home'): Locator {
    return this.page.locator(`[data-testid="field-household"]${state ? `[data-state="${state}"]` : ''}`);
  }

  /** Opens a household's visit form; returns the household's id. */
  async openHousehold(row: Locator): Promise<string> {
    const id = (await row.getAttribute('data-id')) ?? '';
    await row.click();
    await this.byTestId('visit-form').waitFor();
    return id;
  }

  /** "全户正常" then "提交": the two taps a normal household takes. */
  async recordAllNormal(): Promise<void> {
    await this.byTestId('visit-all-normal').click();
    await this.byTestId('visit-submit').click();
    await this.byTestId('field-households').waitFor();
  }

  async recordNobodyHome(): Promise<void> {
    await this.byTestId('visit-nobody-home').click();
    await this.byTestId('visit-revisit').waitFor();
    await this.byTestId('visit-submit').click();
    await this.byTestId('field-households').waitFor();
  }

  async syncState(): Promise<{ state: string; pending: number; text: string }> {
    const bar = this.byTestId('sync-state');
    return {
      state: (await bar.getAttribute('data-state')) ?? '',
      pending: Number(await bar.getAttribute('data-pending')),
      text: (await this.byTestId('sync-text').textContent()) ?? '',
    };
  }
}
