import type { Locator } from 'playwright-core';
import { BasePage } from './base-page.js';

/** The console's inbox (/inbox): the list of requests, an item's drawer, the 12345 import tab. */
export class InboxPage extends BasePage {
  async open(query = ''): Promise<void> {
    await this.goto(`/inbox${query}`);
    await this.byTestId('inbox-page').waitFor();
  }

  card(text: string): Locator {
    return this.page.locator('[data-testid="inbox-item"]', { hasText: text }).first();
  }

  async openItem(text: string): Promise<void> {
    await this.card(text).click();
    await this.byTestId('inbox-item-text').waitFor();
  }

  /** Picks an option of an Ant Design select by its visible label. */
  async choose(testId: string, label: string): Promise<void> {
    await this.byTestId(testId).click();
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
  }

  async classify(category: string): Promise<void> {
    await this.choose('inbox-category', category);
    await this.byTestId('inbox-classify').click();
    await this.page.locator('.ant-message', { hasText: '分类已保存' }).waitFor();
  }

  async route(): Promise<string> {
    await this.byTestId('inbox-route').click();
    await this.byTestId('inbox-route-confirm').click();
    const tag = this.byTestId('inbox-whistle-no');
    await tag.waitFor({ timeout: 15_000 });
    return (await tag.textContent()) ?? '';
  }

  async tab(name: string): Promise<void> {
    await this.page.locator('.ant-tabs-tab', { hasText: name }).first().click();
  }

  async importFile(name: string, content: Buffer): Promise<void> {
    await this.page.locator('[data-testid="hotline-upload"] input[type="file"], .ant-upload input[type="file"]').first().setInputFiles({ name, mimeType: 'text/csv', buffer: content });
    await this.byTestId('hotline-summary').waitFor({ timeout: 15_000 });
  }
}

/** The resident portal's 我要反映 tab. */
export class PortalRequestsPage extends BasePage {
  async openFromTab(): Promise<void> {
    await this.goto('/portal');
    await this.byTestId('portal-tab-requests').click();
    await this.byTestId('my-requests').waitFor();
  }

  async submit(text: string): Promise<void> {
    await this.field('request-text').fill(text);
    await this.byTestId('request-submit').click();
    await this.page.locator('[data-testid="my-requests-list"] .ant-list-item', { hasText: text.slice(0, 10) }).first().waitFor({ timeout: 15_000 });
  }
}
