import { BasePage } from './base-page.js';

/** 防控方案: the versions list, one version's values and diff, the "new version from this one" drawer. */
export class ProtocolPage extends BasePage {
  async open(id = ''): Promise<void> {
    await this.goto(id ? `/protocol/${id}` : '/protocol');
    await this.byTestId('protocol-detail-name').waitFor();
  }

  version(id: string) {
    return this.page.locator(`[data-testid="protocol-version"][data-id="${id}"]`).first();
  }

  async detailName(): Promise<string> {
    return (await this.byTestId('protocol-detail-name').textContent()) ?? '';
  }

  async value(path: string): Promise<string> {
    return (await this.page.locator(`[data-testid="protocol-value"][data-path="${path}"]`).first().textContent()) ?? '';
  }

  async startNewVersion(): Promise<void> {
    await this.byTestId('protocol-new').click();
    await this.byTestId('protocol-name').waitFor();
  }

  async fillNewVersion(v: { name: string; document: string; fever: string }): Promise<void> {
    await this.field('protocol-name').fill(v.name);
    await this.field('protocol-document').fill(v.document);
    const fever = this.field('protocol-fever');
    await fever.fill(v.fever);
    await fever.blur();
  }

  async changedCount(): Promise<string> {
    return (await this.byTestId('protocol-form-count').textContent()) ?? '';
  }

  async submit(): Promise<void> {
    await this.byTestId('protocol-submit').click();
    await this.byTestId('protocol-form').waitFor({ state: 'hidden' });
  }

  async openDiff(): Promise<string[]> {
    await this.page.getByRole('tab', { name: /与上一版本的变化/ }).click();
    const table = this.byTestId('protocol-diff');
    await table.waitFor();
    return this.page.locator('[data-testid="protocol-diff"] [data-testid="diff-row"]').allTextContents();
  }
}

/** 病例管理: the list with counts and filters, the new-case drawer, a case's page with its timeline. */
export class CasesPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/cases');
    await this.byTestId('cases-page').waitFor();
    await this.page.locator('[data-testid="cases-table"], [data-testid="cases-cards"], [data-testid="empty-state"]').first().waitFor();
  }

  row(text: string) {
    return this.page.locator('[data-testid="case-row"]', { hasText: text }).first();
  }

  async count(key: 'open' | 'confirmed' | 'suspected' | 'asymptomatic' | 'confirmedToday'): Promise<number> {
    const text = (await this.byTestId(`case-count-${key}`).locator('.ant-statistic-content').textContent()) ?? '';
    return Number(text.replace(/\D/g, ''));
  }

  /** New case of a registered resident found by name; lands on the case's page. */
  async createForResident(name: string): Promise<void> {
    await this.byTestId('case-create').click();
    await this.byTestId('case-resident').waitFor();
    await this.byTestId('case-resident').click();
    await this.page.keyboard.type(name);
    await this.page.locator('.ant-select-item-option', { hasText: name }).first().click();
    await this.byTestId('case-submit').click();
    await this.byTestId('case-timeline').waitFor();
  }

  async timeline(): Promise<string[]> {
    return this.page.locator('[data-testid="case-change"]').allTextContents();
  }
}
