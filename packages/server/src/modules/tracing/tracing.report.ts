import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { CONTACT_CATEGORIES, CONTACT_CATEGORY_LABELS, CONTACT_SOURCE_LABELS, type CaseTracing, type Contact } from '@gridline/shared';
import { shanghaiDateTime } from '../jobs/job-files.js';

/**
 * The tracing report (流调报告) as officials file it: the case, the look-back window and the protocol version,
 * the case's movements (places and times), the contacts by category, and the counts per grid. One case's
 * report is small (hundreds of rows at most), so it is built in memory and sent directly; no job needed.
 */
export interface ReportData {
  tracing: CaseTracing;
  caseRow: { case_no: string; person_name: string; classification: string; onset_date: string | null; sampling_date: string | null; address: string };
  timeline: { at: number; placeName: string; address: string }[];
  generatedAt: number;
  generatedBy: string;
}

const CLASSIFICATION_ZH: Record<string, string> = { confirmed: '确诊病例', asymptomatic: '无症状感染者', suspected: '疑似病例' };
const STATUS_ZH: Record<string, string> = { proposed: '待核实', confirmed: '已确认', rejected: '已排除' };

export function perGrid(contacts: Contact[]): { grid: string; close: number; secondary: number; general: number; notified: number }[] {
  const rows = new Map<string, { grid: string; close: number; secondary: number; general: number; notified: number }>();
  for (const c of contacts) {
    if (c.status !== 'confirmed') continue;
    let r = rows.get(c.gridCode);
    if (!r) rows.set(c.gridCode, (r = { grid: c.gridCode, close: 0, secondary: 0, general: 0, notified: 0 }));
    r[c.category]++;
    if (c.notifiedAt !== null) r.notified++;
  }
  return [...rows.values()].sort((a, b) => a.grid.localeCompare(b.grid));
}

function evidenceZh(c: Contact): string {
  return c.evidence
    .map((e) => {
      if (e.kind === 'colocation') return `${e.placeName ?? ''} ${shanghaiDateTime(e.from ?? 0)}–${shanghaiDateTime(e.to ?? 0).slice(11)} 重叠${e.overlapMinutes ?? 0}分钟`;
      if (e.kind === 'household') return `同住：${e.address ?? ''}`;
      if (e.kind === 'secondary') return `与密接${e.viaName ?? ''}同住`;
      return `流调员录入${e.note ? `：${e.note}` : ''}`;
    })
    .join('；');
}

function header(d: ReportData): [string, string][] {
  const t = d.tracing;
  return [
    ['病例编号', d.caseRow.case_no],
    ['姓名', d.caseRow.person_name],
    ['分类', CLASSIFICATION_ZH[d.caseRow.classification] ?? d.caseRow.classification],
    ['发病日期', d.caseRow.onset_date ?? '—'],
    ['采样日期', d.caseRow.sampling_date ?? '—'],
    ['确诊时间', t.confirmedAt ? shanghaiDateTime(t.confirmedAt) : '—'],
    ['追溯时段', t.window ? `${shanghaiDateTime(t.window.from)} 至 ${shanghaiDateTime(t.window.to)}（${t.window.anchor === 'onset' ? '发病' : '采样'}前${t.window.lookbackDays}天起）` : '无（缺少发病或采样日期）'],
    ['依据方案', t.window ? t.window.protocolName : '—'],
    ['接触者', `密接 ${t.counts.close} 人，次密接 ${t.counts.secondary} 人，一般接触者 ${t.counts.general} 人（已确认 ${t.counts.confirmed}，已通知 ${t.counts.notified}）`],
  ];
}

const contactColumns = ['序号', '姓名', '类别', '来源', '关系', '手机', '住址', '所属网格', '末次接触', '状态', '通知时间', '依据'] as const;
function contactRow(c: Contact, i: number): string[] {
  return [
    String(i + 1), c.personName, CONTACT_CATEGORY_LABELS[c.category].zh, CONTACT_SOURCE_LABELS[c.source].zh, c.relation, c.phoneMasked ?? '', c.address, c.gridCode,
    shanghaiDateTime(c.exposureAt), STATUS_ZH[c.status] ?? c.status, c.notifiedAt ? shanghaiDateTime(c.notifiedAt) : '', evidenceZh(c),
  ];
}

/** Rejected contacts stay out of the filed report. */
const filed = (d: ReportData) => d.tracing.contacts.filter((c) => c.status !== 'rejected');

export async function reportXlsx(d: ReportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gridline 社区防线';
  const s = wb.addWorksheet('病例信息');
  s.addRow([`流行病学调查报告 ${d.caseRow.case_no}`]).font = { bold: true, size: 14 };
  for (const [k, v] of header(d)) s.addRow([k, v]);
  s.addRow(['生成', `${shanghaiDateTime(d.generatedAt)} ${d.generatedBy}`]);
  s.getColumn(1).width = 14;
  s.getColumn(2).width = 80;

  const tl = wb.addWorksheet('活动轨迹', { views: [{ state: 'frozen', ySplit: 1 }] });
  tl.addRow(['序号', '时间', '场所', '地址']).font = { bold: true };
  d.timeline.forEach((e, i) => tl.addRow([i + 1, shanghaiDateTime(e.at), e.placeName, e.address]));
  [6, 18, 24, 40].forEach((w, i) => (tl.getColumn(i + 1).width = w));

  const ks = wb.addWorksheet('接触者', { views: [{ state: 'frozen', ySplit: 1 }] });
  ks.addRow([...contactColumns]).font = { bold: true };
  const ordered = [...filed(d)].sort((a, b) => CONTACT_CATEGORIES.indexOf(a.category) - CONTACT_CATEGORIES.indexOf(b.category) || b.exposureAt - a.exposureAt);
  ordered.forEach((c, i) => ks.addRow(contactRow(c, i)));
  [6, 10, 12, 14, 12, 14, 30, 18, 18, 8, 18, 50].forEach((w, i) => (ks.getColumn(i + 1).width = w));

  const g = wb.addWorksheet('网格统计');
  g.addRow(['网格', '密接', '次密接', '一般接触者', '已通知']).font = { bold: true };
  for (const r of perGrid(d.tracing.contacts)) g.addRow([r.grid, r.close, r.secondary, r.general, r.notified]);
  g.getColumn(1).width = 20;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
function table(head: readonly string[], rows: string[][]): Table {
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })], borders: { top: border, bottom: border, left: border, right: border } });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ children: head.map((h) => cell(h, true)), tableHeader: true }), ...rows.map((r) => new TableRow({ children: r.map((x) => cell(x)) }))] });
}

export async function reportDocx(d: ReportData): Promise<Buffer> {
  const contacts = filed(d);
  const sections: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: '流行病学调查报告' })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `${d.caseRow.case_no}  ${shanghaiDateTime(d.generatedAt)}  ${d.generatedBy}`, size: 20 })] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('一、病例基本情况')] }),
    table(['项目', '内容'], header(d).map(([k, v]) => [k, v])),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('二、追溯时段内活动轨迹')] }),
    d.timeline.length ? table(['序号', '时间', '场所', '地址'], d.timeline.map((e, i) => [String(i + 1), shanghaiDateTime(e.at), e.placeName, e.address])) : new Paragraph('追溯时段内无扫码记录。'),
  ];
  for (const [i, cat] of CONTACT_CATEGORIES.entries()) {
    const list = contacts.filter((c) => c.category === cat);
    sections.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${['三', '四', '五'][i]}、${CONTACT_CATEGORY_LABELS[cat].zh}（${list.length}人）`)] }));
    sections.push(list.length ? table(contactColumns, list.map(contactRow)) : new Paragraph('无。'));
  }
  sections.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('六、各网格已确认接触者')] }));
  const grids = perGrid(d.tracing.contacts);
  sections.push(grids.length ? table(['网格', '密接', '次密接', '一般接触者', '已通知'], grids.map((r) => [r.grid, String(r.close), String(r.secondary), String(r.general), String(r.notified)])) : new Paragraph('暂无已确认的接触者。'));
  const doc = new Document({
    creator: 'Gridline 社区防线',
    title: `流行病学调查报告 ${d.caseRow.case_no}`,
    styles: { default: { document: { run: { font: 'SimSun', size: 21 } } } },
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children: sections }],
  });
  return Packer.toBuffer(doc);
}
