import { BasePage } from './base-page.js';

/** The resident portal's "today's health report": temperature stepper, symptom chips, submit. */
export class PortalHealthPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/portal/health');
    await this.page.locator('[data-testid="my-health"], [data-testid="my-health-done"]').first().waitFor();
  }

  async openFromTab(): Promise<void> {
    await this.byTestId('portal-tab-health').click();
    await this.page.locator('[data-testid="my-health"], [data-testid="my-health-done"]').first().waitFor();
  }

  async setTemperature(c: number): Promise<void> {
    await this.byTestId(`temperature-preset-${c.toFixed(1)}`).click();
  }

  async stepTemperature(direction: 'up' | 'down', times: number): Promise<void> {
    for (let i = 0; i < times; i++) await this.byTestId(`temperature-${direction}`).click();
  }

  async temperature(): Promise<string> {
    return this.field('temperature-input').inputValue();
  }

  async toggleSymptom(symptom: string): Promise<void> {
    await this.byTestId(`symptom-${symptom}`).click();
  }

  async submit(): Promise<void> {
    await this.byTestId('health-submit').click();
    await this.byTestId('my-health-done').waitFor();
  }

  async resultText(): Promise<string> {
    return (await this.byTestId('my-health-done').textContent()) ?? '';
  }
}

/** "My tasks": counts, task cards (overdue marked), the task drawer with its next steps. */
export class TasksPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/tasks');
    await this.byTestId('tasks-page').waitFor();
    await this.page.locator('[data-testid="tasks-list"], [data-testid="empty-state"]').first().waitFor();
  }

  card(text: string) {
    return this.page.locator('[data-testid="task-card"]', { hasText: text }).first();
  }

  async count(key: 'open' | 'inProgress' | 'overdue' | 'doneToday'): Promise<number> {
    const text = (await this.byTestId(`tasks-count-${key}`).locator('.ant-statistic-content').textContent()) ?? '';
    return Number(text.replace(/\D/g, ''));
  }

  async openTask(text: string): Promise<void> {
    await this.card(text).click();
    await this.byTestId('task-drawer').waitFor();
    await this.byTestId('task-detail').waitFor();
  }
}
