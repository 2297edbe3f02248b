import type { Locator } from 'playwright-core';
import { BasePage } from './base-page.js';

/** /whistles and /whistles/:id: the list with its badges, the 吹哨 drawer, the detail's steps. */
export class WhistlesPage extends BasePage {
  async open(query = ''): Promise<void> {
    await this.goto(`/whistles${query}`);
    await this.byTestId('whistles-page').waitFor();
  }

  /** A radio button's visible label (the test id sits on the hidden input). */
  radio(id: string): Locator {
    return this.page.locator('label', { has: this.page.locator(`[data-testid="${id}"]`) }).first();
  }

  row(title: string): Locator {
    return this.page.locator('[data-testid="whistle-row"]', { hasText: title }).first();
  }

  async raise(input: { urgency: 'daily' | 'tough' | 'emergency'; title: string; description: string; address: string; photo?: { name: string; mimeType: string; buffer: Buffer } }): Promise<void> {
    await this.byTestId('whistle-raise').click();
    await this.byTestId('whistle-form').waitFor();
    await this.radio(`whistle-urgency-${input.urgency}`).click();
    await this.field('whistle-title').fill(input.title);
    await this.field('whistle-description').fill(input.description);
    await this.field('whistle-address').fill(input.address);
    // A pin in the middle of the map.
    const map = this.byTestId('whistle-pin-map');
    await map.scrollIntoViewIfNeeded();
    await map.click();
    if (input.photo) {
      await this.page.locator('.ant-drawer input[type="file"]').first().setInputFiles(input.photo);
      await this.byTestId('whistle-photo-item').waitFor();
    }
  }

  async submitRaise(): Promise<void> {
    await this.byTestId('whistle-submit').click();
    await this.byTestId('whistle-detail').waitFor();
    await this.byTestId('whistle-timeline').waitFor();
  }

  async step(action: 'acknowledge' | 'progress' | 'resolve' | 'confirm' | 'reopen', note?: string, rating?: 'satisfied' | 'basically_satisfied' | 'dissatisfied'): Promise<void> {
    await this.byTestId(`whistle-action-${action}`).click();
    if (rating) await this.radio(`whistle-rating-${rating}`).click();
    if (note) await this.field('whistle-step-note').fill(note);
    await this.byTestId('whistle-step-submit').click();
    await this.byTestId(`whistle-action-${action}`).waitFor({ state: 'detached' });
  }

  async upload(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const before = await this.page.locator('[data-testid="whistle-file"]').count();
    await this.page.locator('[data-testid="whistle-actions"] input[type="file"]').first().setInputFiles(file);
    await this.page.locator('[data-testid="whistle-file"]').nth(before).waitFor();
  }

  async statusText(): Promise<string> {
    return (await this.byTestId('whistle-status').textContent()) ?? '';
  }
}
