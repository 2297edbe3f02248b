import { BasePage } from './base-page.js';

export class LoginPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/login');
    await this.byTestId('login-form').waitFor();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.field('login-username').fill(username);
    await this.field('login-password').fill(password);
    await this.byTestId('login-submit').click();
  }

  async errorText(): Promise<string> {
    return (await this.byTestId('login-error').textContent()) ?? '';
  }
}
