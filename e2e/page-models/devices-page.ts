import { BasePage } from './base-page.js';

/** 物联设备: register a gate device (its token shown once), read a device's counters and rejected items. */
export class DevicesPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/devices');
    await this.byTestId('devices-page').waitFor();
  }

  /** Registers a device at a place; returns the token the dialog shows (and leaves the dialog open). */
  async register(name: string, placeName: string): Promise<string> {
    await this.byTestId('device-create').click();
    await this.field('device-name').fill(name);
    await this.byTestId('device-place').click();
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: placeName }).first().click();
    await this.page.locator('.ant-modal-footer:visible .ant-btn-primary').first().click();
    const token = this.byTestId('device-token-value');
    await token.waitFor();
    return ((await token.textContent()) ?? '').trim();
  }

  async closeToken(): Promise<void> {
    await this.byTestId('device-token-done').click();
    await this.byTestId('device-token').waitFor({ state: 'detached' });
  }

  /** The device's table row on a desktop, its card on a phone. */
  row(name: string) {
    return this.page.locator('[data-testid="devices-table"] tbody tr, [data-testid="device-card"]', { hasText: name }).first();
  }

  /** The row's cells as text, in column order (desktop). */
  async cells(name: string): Promise<string[]> {
    return this.row(name).locator('td').allTextContents();
  }

  /** Opens the device's rejected items and returns each row's key and reason. */
  async rejections(name: string): Promise<{ key: string; reason: string }[]> {
    await this.row(name).locator('[data-testid="device-rejections-open"]').click();
    const rows = this.page.locator('[data-testid="device-rejections"] [data-testid="rejection-row"]');
    await rows.first().waitFor();
    return rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        key: tr.querySelector('[data-testid="rejection-key"]')?.textContent ?? '',
        reason: tr.querySelector('[data-testid="rejection-reason"]')?.textContent ?? '',
      })),
    );
  }
}
