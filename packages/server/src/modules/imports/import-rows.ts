import {
  normalizeResident, parseDocument, toHalfWidth, type DocumentType, type ImportField, type ImportMapping, type NormalizedResident, type ResidentInput,
} from '@gridline/shared';
import { FIELD_LABELS, normalizeDate, normalizeRoom, parseDocType, parseRelation, parseResidence, parseSex, parseTags, type Parsed } from './import-vocab.js';
import type { SheetRow } from './sheet-reader.js';

/** One line of the error report: the row a person sees, the column as headed in their file, what it held, why. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** A data row read against the mapping: a normalized resident and its address, or the problems it has. */
export interface ParsedRow {
  row: number;
  value: NormalizedResident | null;
  /** Optional fields the row fills in; an existing record keeps its own value for the others. */
  given: Set<ImportField>;
  building: string;
  unit: string;
  room: string | null;
  /** The normalized document whenever it is valid, even if other fields are not: the first row with it claims it. */
  document: { type: DocumentType; number: string } | null;
  problems: RowProblem[];
}

/** Where each field's column sits in the header, and the header text the report names it by. */
export interface Columns {
  index: Partial<Record<ImportField, number>>;
  header: Partial<Record<ImportField, string>>;
}

export function columnsOf(headers: string[], mapping: ImportMapping): Columns {
  const columns: Columns = { index: {}, header: {} };
  headers.forEach((h, i) => {
    const field = mapping[h];
    if (field) {
      columns.index[field] = i;
      columns.header[field] = h;
    }
  });
  return columns;
}

/** What people put around a value to keep Excel from reformatting it: a leading apostrophe or tab, ="…". */
function unwrap(raw: string): string {
  const s = raw.replace(/^[\t']+/, '');
  const formula = /^="(.*)"$/.exec(s);
  return formula ? formula[1]! : s;
}

/** Names aligned with spaces in spreadsheets ("张\u3000三") lose the spaces between Chinese characters. */
function cleanName(raw: string): string {
  return toHalfWidth(raw).replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '');
}

const TOO_LONG_NUMBER = '证件号码被 Excel 当作数字保存，后几位已丢失；请把该列设为“文本”格式、重新填写号码后再导入';

/** Reads one data row. Pure: the register's own rules (normalizeResident) decide what a valid resident is. */
export function parseRow(r: SheetRow, cols: Columns, today: string): ParsedRow {
  const problems: RowProblem[] = [];
  const raw = (f: ImportField): string => {
    const i = cols.index[f];
    return i === undefined ? '' : unwrap(r.cells[i] ?? '');
  };
  const column = (f: ImportField) => cols.header[f] ?? FIELD_LABELS[f];
  const problem = (f: ImportField, reason: string) => problems.push({ row: r.row, column: column(f), value: raw(f), reason });
  const given = new Set<ImportField>((Object.keys(cols.index) as ImportField[]).filter((f) => raw(f).trim() !== ''));
  const pick = <T>(f: ImportField, parsed: (s: string) => Parsed<T>, fallback: T): T => {
    if (!given.has(f)) return fallback;
    const p = parsed(raw(f).trim());
    if (p.ok) return p.value;
    problem(f, p.reason);
    return fallback;
  };

  const docType: DocumentType = pick('docType', parseDocType, 'resident_id');
  const docRaw = raw('docNumber');
  const docIndex = cols.index.docNumber;
  const docLost = (docIndex !== undefined && r.lossy?.has(docIndex)) || /^\d+(\.\d+)?e\+?\d+$/i.test(docRaw.trim());
  if (docLost) problem('docNumber', TOO_LONG_NUMBER);

  let birthDate: string | undefined;
  const date = given.has('birthDate') ? normalizeDate(raw('birthDate')) : undefined;
  if (date && 'date' in date) birthDate = date.date;
  else if (date && docType !== 'resident_id') problem('birthDate', '出生日期应填写完整的年月日，如 1980-01-02');

  const input: ResidentInput = {
    name: cleanName(raw('name')),
    sex: pick('sex', parseSex, undefined),
    birthDate,
    docType,
    docNumber: docRaw,
    phone: raw('phone'),
    relationToHead: pick('relationToHead', parseRelation, 'other_relative'),
    residenceStatus: pick('residenceStatus', parseResidence, 'permanent'),
    tags: pick('tags', parseTags, []),
    notes: raw('notes'),
  };
  const checked = normalizeResident(input, today, '');
  if (!checked.ok) {
    for (const f of checked.fields) {
      const field = f.path.slice(1) as ImportField;
      if (field === 'docNumber' && docLost) continue;
      // A sex contradicting the ID number is reported on the sex column when there is one, else on the number.
      problem(field === 'sex' && !given.has('sex') ? 'docNumber' : field, f.message);
    }
  }

  const building = raw('building').trim();
  const unit = raw('unit').trim();
  const room = given.has('room') ? normalizeRoom(raw('room')) : null;
  if (!building) problem('building', '楼栋不能为空');
  if (!unit) problem('unit', '单元不能为空');
  if (!given.has('room')) problem('room', '门牌号不能为空');
  else if (!room) problem('room', `门牌号“${raw('room').trim()}”无法识别，应为楼层加房号的 4 位数字（如 0302），也可写 302 或 3-02`);

  const doc = docLost ? null : parseDocument(docType, docRaw, today);
  const document = doc?.ok ? { type: docType, number: doc.value } : null;
  return { row: r.row, value: checked.ok && !problems.length ? checked.value : null, given, building, unit, room, document, problems };
}
