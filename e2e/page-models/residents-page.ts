import { BasePage } from './base-page.js';

export class ResidentsPage extends BasePage {
  async open(query = ''): Promise<void> {
    await this.goto(`/residents${query}`);
    await this.byTestId('residents-total').waitFor();
  }

  /** The number in "共 N 人". */
  async total(): Promise<number> {
    const text = (await this.byTestId('residents-total').textContent()) ?? '';
    return Number(/([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
  }

  async waitForTotalChange(from: number): Promise<number> {
    await this.page.waitForFunction(
      (prev) => {
        const el = document.querySelector('[data-testid="residents-total"]');
        const n = Number(/([\d,]+)/.exec(el?.textContent ?? '')?.[1]?.replace(/,/g, '') ?? NaN);
        return !Number.isNaN(n) && n !== prev;
      },
      from,
    );
    return this.total();
  }

  names() {
    return this.page.locator('[data-testid="resident-name"], [data-testid="resident-card"]');
  }

  async openFirstResident(): Promise<void> {
    await this.names().first().click();
    await this.byTestId('resident-drawer').waitFor();
  }
}
