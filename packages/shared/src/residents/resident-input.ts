import type { FieldError } from '../errors.js';
import { parseDocument, type DocumentType } from '../identity/documents.js';
import { parseMobilePhone, PHONE_MESSAGE } from '../identity/phone.js';
import { normalizeText } from '../text.js';
import type { Relation, ResidenceStatus, Sex, VulnerabilityTag } from '../vocab.js';

export interface ResidentInput {
  name: string;
  sex?: Sex | undefined;
  birthDate?: string | undefined;
  docType: DocumentType;
  docNumber: string;
  phone?: string | null | undefined;
  relationToHead: Relation;
  residenceStatus: ResidenceStatus;
  tags?: VulnerabilityTag[] | undefined;
  notes?: string | undefined;
}

export interface NormalizedResident {
  name: string;
  sex: Sex;
  birthDate: string;
  docType: DocumentType;
  docNumber: string;
  phone: string | null;
  relationToHead: Relation;
  residenceStatus: ResidenceStatus;
  tags: VulnerabilityTag[];
  notes: string;
}

const SEX_ZH: Record<Sex, string> = { male: '男', female: '女' };

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The resident register's field rules, shared by the API, forms and imports: normalizes what people
 * type (full-width digits, stray spaces, lowercase x), derives sex and birth date from a resident ID and
 * reports a contradiction as an error on the contradicted field. `prefix` is prepended to field paths.
 */
export function normalizeResident(
  input: ResidentInput,
  today: string,
  prefix = '/body',
): { ok: true; value: NormalizedResident } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = [];
  const err = (field: string, code: string, message: string) => fields.push({ path: `${prefix}/${field}`, code, message });

  const name = normalizeText(input.name ?? '');
  if (!name) err('name', 'required', '姓名不能为空');
  else if (name.length > 50) err('name', 'maxLength', '姓名最多 50 个字符');
  else if (/[\d\p{Cc}@#$%^&*_=+<>{}[\]\\|/?!;:"，。；：！？]/u.test(name)) err('name', 'format', '姓名不能包含数字或特殊符号');

  let sex = input.sex;
  let birthDate = input.birthDate;
  let docNumber = '';
  const doc = parseDocument(input.docType, input.docNumber ?? '', today);
  if (!doc.ok) err('docNumber', doc.code, doc.zh);
  else {
    docNumber = doc.value;
    if (doc.sex) {
      if (sex && sex !== doc.sex) err('sex', 'mismatch', `性别与身份证号不一致（证件显示为${SEX_ZH[doc.sex]}）`);
      sex = doc.sex;
    }
    if (doc.birthDate) {
      if (birthDate && birthDate !== doc.birthDate) err('birthDate', 'mismatch', `出生日期与身份证号不一致（证件显示为 ${doc.birthDate}）`);
      birthDate = doc.birthDate;
    }
  }
  if (!sex && (doc.ok || input.docType !== 'resident_id')) err('sex', 'required', '请选择性别');
  if (birthDate === undefined || birthDate === '') {
    if (doc.ok || input.docType !== 'resident_id') err('birthDate', 'required', '请填写出生日期');
  } else if (!isRealDate(birthDate) || birthDate > today || birthDate < '1880-01-01') {
    err('birthDate', 'invalid', '出生日期不存在或晚于今天');
  }

  let phone: string | null = null;
  if (input.phone !== undefined && input.phone !== null && input.phone.trim() !== '') {
    const p = parseMobilePhone(input.phone);
    if (p.ok) phone = p.value;
    else err('phone', 'format', PHONE_MESSAGE.zh);
  }

  const notes = (input.notes ?? '').trim();
  if (notes.length > 500) err('notes', 'maxLength', '备注最多 500 个字符');

  if (fields.length) return { ok: false, fields };
  return {
    ok: true,
    value: {
      name, sex: sex!, birthDate: birthDate!, docType: input.docType, docNumber, phone,
      relationToHead: input.relationToHead, residenceStatus: input.residenceStatus, tags: [...new Set(input.tags ?? [])].sort(), notes,
    },
  };
}
