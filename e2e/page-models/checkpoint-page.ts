import { BasePage } from './base-page.js';

/** 卡口核验: pick a checkpoint, enter a temperature and a code's text, read the decision. */
export class CheckpointPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/checkpoint');
    await this.byTestId('checkpoint-page').waitFor();
  }

  async pick(name: string): Promise<void> {
    await this.byTestId('checkpoint-select').click();
    await this.page.locator('.ant-select-item-option', { hasText: name }).first().click();
  }

  /** Verifies a code typed by hand (the camera's fallback) and waits for the answer. */
  async verify(code: string, temperature?: string): Promise<{ result: string; word: string; reasons: string; person: string }> {
    if (temperature !== undefined) await this.field('checkpoint-temperature').fill(temperature);
    await this.field('checkpoint-manual').fill(code);
    await this.byTestId('checkpoint-verify').click();
    const decision = this.byTestId('decision');
    await decision.waitFor();
    return {
      result: (await decision.getAttribute('data-result')) ?? '',
      word: (await this.byTestId('decision-word').textContent()) ?? '',
      reasons: (await this.byTestId('decision-reasons').textContent()) ?? '',
      person: (await this.page.locator('[data-testid="decision-person"]').count()) ? ((await this.byTestId('decision-person').textContent()) ?? '') : '',
    };
  }

  async next(): Promise<void> {
    await this.byTestId('decision-next').click();
    await this.byTestId('checkpoint-manual').waitFor();
  }
}
