import { BasePage } from './base-page.js';

/** The console shell: side menu (a drawer on phones), language switch, header search. */
export class ConsolePage extends BasePage {
  async waitReady(): Promise<void> {
    await this.page.locator('[data-testid="side-menu"], [data-testid="menu-toggle"]').first().waitFor();
  }

  /** Keys of the modules in the side menu (opening the drawer first on a phone). */
  async menuKeys(): Promise<string[]> {
    await this.waitReady();
    if (await this.byTestId('menu-toggle').isVisible()) await this.byTestId('menu-toggle').click();
    const menu = this.page.locator('[data-testid="side-menu"]:visible').first();
    await menu.waitFor();
    const ids = await menu.locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    if (await this.byTestId('menu-drawer').isVisible()) await this.page.keyboard.press('Escape');
    return ids.map((id) => id.replace(/^menu-/, ''));
  }

  async openModule(key: string): Promise<void> {
    await this.waitReady();
    if (await this.byTestId('menu-toggle').isVisible()) await this.byTestId('menu-toggle').click();
    // The menu item (li) takes the click, not the label inside it.
    await this.page.locator(`[data-testid="side-menu"]:visible li:has([data-testid="menu-${key}"])`).first().click();
  }

  async switchLanguage(lang: 'zh' | 'en'): Promise<void> {
    await this.byTestId('lang-switch').click();
    await this.byTestId(`lang-${lang}`).click();
  }
}
