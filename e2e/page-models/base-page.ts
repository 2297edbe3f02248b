import type { Locator, Page } from 'playwright-core';

/** Page-object base: locates by the data-testid attributes the console exposes for tests. */
export class BasePage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`).first();
  }

  /** The <input>/<textarea> of a test id, whether the id sits on the field itself or on its wrapper. */
  field(id: string): Locator {
    return this.page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first();
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}`);
  }
}
