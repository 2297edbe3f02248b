import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { TracingPage } from './page-models/tracing-page.js';
import { DEMO_PASSWORD, useDemoConsole } from './support/console.js';
import { browserAvailable, PHONE, shot } from './support/browser.js';
import { ApiClient, tempDir } from './support/process.js';

/**
 * Contact tracing in a real browser, on the demo street (its tracing demo scans around the demo cases): the
 * tracer opens a confirmed case from the 24-hour clock list, reviews the proposed contacts with their evidence,
 * confirms two in one batch (their follow-up tasks are raised), opens the transmission chain graph, and
 * downloads the report as XLSX and DOCX — whose contents are read back. Screenshots at 1440 and 375 px.
 */
const canRun = browserAvailable();

interface CaseTracingT {
  caseNo: string;
  contacts: { id: string; personName: string; status: string; source: string; taskId: string | null }[];
}

describe.runIf(canRun)('contact tracing in Chromium', () => {
  const demo = useDemoConsole('tracing');
  const { signedIn } = demo;
  let api: ApiClient;
  let caseId = '';
  let caseNo = '';
  let picked: string[] = [];

  beforeAll(async () => {
    api = new ApiClient(demo.server.url);
    expect(await api.login('tracer', DEMO_PASSWORD)).toBe(200);
    // The demo case with the most contacts still to review.
    const clock = await api.get<{ cases: { caseId: string; caseNo: string }[] }>('/api/tracing/clock?days=14');
    let best = -1;
    for (const c of clock.body.cases) {
      const t = (await api.get<CaseTracingT>(`/api/tracing/cases/${c.caseId}`)).body;
      const proposed = t.contacts.filter((k) => k.status === 'proposed' && k.source === 'colocation');
      if (proposed.length > best) {
        best = proposed.length;
        caseId = c.caseId;
        caseNo = c.caseNo;
        picked = proposed.slice(0, 2).map((k) => k.personName);
      }
    }
    expect(picked).toHaveLength(2);
  });

  it('reviews the proposed contacts with their evidence and confirms a batch', async () => {
    const page = await signedIn('tracer');
    const tracing = new TracingPage(page, demo.server.url);
    await tracing.open();
    await shot(page, 'tracing-clock-1440');
    await tracing.openCase(caseNo);
    expect(await tracing.byTestId('trace-window').textContent()).toContain('发病前 4 天起');
    const evidence = await tracing.evidence(picked[0]!);
    expect(evidence).toMatch(/病例 .+ 扫码，接触者 .+ 扫码，重叠 \d+ 分钟/);
    expect(await tracing.status(picked[0]!)).toBe('待核实');
    await tracing.select(picked);
    await tracing.byTestId('bulk-bar').waitFor();
    await shot(page, 'tracing-case-review-1440');
    await tracing.bulk('confirm');
    await page.locator('.ant-message', { hasText: '生成随访任务 2 个' }).waitFor();
    for (const n of picked) await expect.poll(() => tracing.status(n)).toBe('已确认');
    await shot(page, 'tracing-case-confirmed-1440');
    // The server agrees: both confirmed, each with its follow-up task.
    const after = (await api.get<CaseTracingT>(`/api/tracing/cases/${caseId}`)).body;
    for (const n of picked) expect(after.contacts.find((k) => k.personName === n)).toMatchObject({ status: 'confirmed', taskId: expect.any(String) });
    await page.context().close();

    const phone = await signedIn('tracer', PHONE);
    await new TracingPage(phone, demo.server.url).goto(`/tracing/cases/${caseId}`);
    await phone.locator('[data-testid="contact-row"]').first().waitFor();
    await shot(phone, 'tracing-case-375');
    await phone.context().close();
  });

  it('opens the transmission chain graph and focuses the case', async () => {
    const page = await signedIn('tracer');
    const tracing = new TracingPage(page, demo.server.url);
    await tracing.open('chains');
    await page.locator('[data-testid="cluster-item"]').first().waitFor();
    const search = page.locator('[data-testid="chain-search"] input');
    await search.fill(caseNo);
    await search.press('Enter');
    await page.locator('[data-testid="chain-graph"] canvas').first().waitFor();
    await tracing.byTestId('chain-focus').waitFor();
    expect(await tracing.byTestId('chain-focus').textContent()).toContain(caseNo);
    await page.waitForTimeout(1500); // the force layout settles
    await shot(page, 'tracing-chains-1440');
    await page.context().close();

    const phone = await signedIn('tracer', PHONE);
    const small = new TracingPage(phone, demo.server.url);
    await small.open('chains');
    await phone.locator('[data-testid="cluster-open"]').first().click();
    await phone.locator('[data-testid="chain-graph"] canvas').first().waitFor();
    await phone.waitForTimeout(1500);
    await shot(phone, 'tracing-chains-375');
    await phone.context().close();
  });

  it('downloads the report as XLSX and DOCX with the confirmed contacts in them', async () => {
    const page = await signedIn('tracer');
    const tracing = new TracingPage(page, demo.server.url);
    await tracing.goto(`/tracing/cases/${caseId}`);
    await page.locator('[data-testid="contact-row"]').first().waitFor();
    const dir = tempDir('tracing-downloads');

    const xlsx = await tracing.download('xlsx');
    expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^流调报告-${caseNo}-.*\\.xlsx$`));
    const xlsxPath = path.join(dir, 'report.xlsx');
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const rows = wb.getWorksheet('接触者')!.getSheetValues().slice(2).map((r) => r as unknown[]);
    for (const n of picked) expect(rows.find((r) => r[2] === n)?.[10]).toBe('已确认');
    expect(String(wb.getWorksheet('病例信息')!.getCell('A1').value)).toContain(caseNo);

    const docx = await tracing.download('docx');
    const docxPath = path.join(dir, 'report.docx');
    await docx.saveAs(docxPath);
    const xml = await (await JSZip.loadAsync(fs.readFileSync(docxPath))).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('流行病学调查报告');
    expect(text).toContain(caseNo);
    for (const n of picked) expect(text).toContain(n);
    await page.context().close();
  });
});
