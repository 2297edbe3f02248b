import { BasePage } from './base-page.js';

/** /p/:code — the page a place poster's QR opens. */
export class PlaceScanPage extends BasePage {
  async open(code: string): Promise<void> {
    await this.goto(`/p/${code}`);
    await this.byTestId('place-scan-page').waitFor();
  }

  async placeName(): Promise<string> {
    return (await this.byTestId('scan-place-name').textContent()) ?? '';
  }

  async signInAsVisitor(name: string, phone: string): Promise<string> {
    await this.field('scan-name').fill(name);
    await this.field('scan-phone').fill(phone);
    await this.byTestId('scan-submit').click();
    await this.byTestId('scan-done').waitFor();
    return (await this.byTestId('scan-done-detail').textContent()) ?? '';
  }
}
