import { LockOutlined } from '@ant-design/icons';
import {
  DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES, parseDocument, RELATION_LABELS, RELATIONS, RESIDENCE_STATUS_LABELS, RESIDENCE_STATUSES,
  VULNERABILITY_TAG_LABELS, VULNERABILITY_TAGS, type Sex,
} from '@gridline/shared';
import { Alert, App, Button, Col, DatePicker, Drawer, Flex, Form, Input, Radio, Row, Select, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { residentsApi, type Resident, type UpdateResidentBody } from '../../api/endpoints';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { unitOf } from '../../lib/address';
import { useLabels } from '../../lib/labels';
import { todayInShanghai } from '../../lib/time';
import { HouseholdPicker } from './HouseholdPicker';
import { messageOf, runRules, type ResidentFormValues } from './validation';

/** Sex: a choice, or — read from a resident ID — a locked, fully legible value. */
function SexInput({ value, onChange, locked }: { value?: Sex; onChange?: (v: Sex) => void; locked: boolean }) {
  const { t } = useTranslation();
  if (locked) return <Input value={value ? t(`sex.${value}`) : ''} readOnly suffix={<LockOutlined className="muted" />} style={{ maxWidth: 160 }} data-testid="rf-sex-locked" />;
  return (
    <Radio.Group
      value={value}
      onChange={(e) => onChange?.(e.target.value as Sex)}
      optionType="button"
      buttonStyle="solid"
      options={(['male', 'female'] satisfies Sex[]).map((s) => ({ value: s, label: t(`sex.${s}`) }))}
      data-testid="rf-sex"
    />
  );
}

/** Birth date as YYYY-MM-DD: a picker, or a locked value when read from the ID. */
function BirthInput({ value, onChange, locked, today, mobile }: { value?: string; onChange?: (v: string | undefined) => void; locked: boolean; today: string; mobile: boolean }) {
  if (locked) return <Input value={value ?? ''} readOnly suffix={<LockOutlined className="muted" />} data-testid="rf-birthdate-locked" />;
  return (
    <DatePicker
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)}
      style={{ width: '100%' }}
      disabledDate={(d) => d.format('YYYY-MM-DD') > today}
      inputReadOnly={mobile}
      data-testid="rf-birthdate"
    />
  );
}

interface Props {
  open: boolean;
  /** Edit this resident; create when absent. */
  resident?: Resident | undefined;
  householdAddress?: string | undefined;
  /** Preselected household for "add a member". */
  householdId?: string | undefined;
  unitCode?: string | undefined;
  onClose: () => void;
  /** Close and reload what is on screen (after someone else changed the record). */
  onReload?: () => void;
  onSaved: (r: Resident) => void;
}

/**
 * Register or correct a resident. Validation runs as you type with the register's shared rules; for a
 * resident ID, sex and birth date are read from the number and locked.
 */
export function ResidentForm({ open, resident, householdAddress, householdId, unitCode, onClose, onReload, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<{ text: string; stale?: boolean } | undefined>(undefined);
  const [changeDoc, setChangeDoc] = useState(false);
  const today = useMemo(() => todayInShanghai(), []);
  const editing = !!resident;
  const keepDocument = editing && !changeDoc && resident ? { sex: resident.sex, birthDate: resident.birthDate } : undefined;

  const docType = Form.useWatch('docType', form) as ResidentFormValues['docType'] | undefined;
  const docNumber = Form.useWatch('docNumber', form) as string | undefined;
  const derived = useMemo(() => {
    if (keepDocument) return resident?.docType === 'resident_id' ? { sex: resident.sex, birthDate: resident.birthDate } : undefined;
    if (docType !== 'resident_id' || !docNumber) return undefined;
    const d = parseDocument('resident_id', docNumber, today);
    return d.ok && d.sex && d.birthDate ? { sex: d.sex, birthDate: d.birthDate } : undefined;
  }, [docType, docNumber, today, keepDocument, resident]);

  useEffect(() => {
    if (!open) return;
    setGeneral(undefined);
    setChangeDoc(false);
    form.resetFields();
    if (resident) {
      form.setFieldsValue({
        householdId: resident.householdId,
        name: resident.name,
        docType: resident.docType,
        docNumber: '',
        sex: resident.sex,
        birthDate: resident.birthDate,
        phone: '',
        relationToHead: resident.relationToHead,
        residenceStatus: resident.residenceStatus,
        tags: resident.tags,
        notes: resident.notes,
      });
    } else {
      form.setFieldsValue({ householdId, docType: 'resident_id', relationToHead: householdId ? undefined : 'head', residenceStatus: 'registered', tags: [] });
    }
  }, [open, resident, householdId, form]);

  // Sex and birth date follow the ID number.
  useEffect(() => {
    if (derived) form.setFieldsValue({ sex: derived.sex, birthDate: derived.birthDate });
  }, [derived, form]);

  const values = (): ResidentFormValues => {
    const v = form.getFieldsValue(true) as ResidentFormValues & { birthDate?: string };
    return { ...v, phone: v.phone?.trim() ? v.phone : undefined };
  };

  /** A field's rule from the shared register rules. */
  const rule = (field: string) => ({
    validator: async () => {
      const v = values();
      const r = runRules(v, today, keepDocument);
      if (r.ok) return;
      const f = r.fields.get(field);
      if (f) throw new Error(messageOf(f, field, v, i18n.language, t, today));
    },
  });

  const submit = async () => {
    setGeneral(undefined);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = values();
    if (!v.householdId) {
      form.setFields([{ name: 'householdId', errors: [t('residentForm.householdRequired')] }]);
      return;
    }
    const r = runRules(v, today, keepDocument);
    if (!r.ok) {
      form.setFields([...r.fields.entries()].map(([name, f]) => ({ name, errors: [messageOf(f, name, v, i18n.language, t, today)] })));
      return;
    }
    const n = r.value;
    setBusy(true);
    try {
      let saved: Resident;
      if (resident) {
        const body: UpdateResidentBody = {
          version: resident.version,
          name: n.name,
          relationToHead: n.relationToHead,
          residenceStatus: n.residenceStatus,
          tags: n.tags,
          notes: n.notes,
        };
        if (n.phone) body.phone = n.phone;
        if (v.householdId !== resident.householdId) body.householdId = v.householdId;
        if (changeDoc) {
          body.docType = n.docType;
          body.docNumber = n.docNumber;
          body.sex = n.sex;
          body.birthDate = n.birthDate;
        } else if (resident.docType !== 'resident_id') {
          body.sex = n.sex;
          body.birthDate = n.birthDate;
        }
        saved = await residentsApi.update(resident.id, body);
        void message.success(t('residentForm.updated', { name: saved.name }));
      } else {
        saved = await residentsApi.create({
          householdId: v.householdId,
          name: n.name,
          sex: n.sex,
          birthDate: n.birthDate,
          docType: n.docType,
          docNumber: n.docNumber,
          phone: n.phone,
          relationToHead: n.relationToHead,
          residenceStatus: n.residenceStatus,
          tags: n.tags,
          notes: n.notes,
        });
        void message.success(t('residentForm.created', { name: saved.name }));
      }
      onSaved(saved);
    } catch (err) {
      const e = toApiError(err);
      if (e.isAuth) return;
      const { unmatched } = applyFieldErrors(form, e);
      if (e.code === 'GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT') form.setFields([{ name: 'docNumber', errors: [errorText(e)] }]);
      else if (e.code === 'GRIDLINE_STALE_VERSION') setGeneral({ text: errorText(e), stale: true });
      else if (unmatched.length || !e.fields.length) setGeneral({ text: [errorText(e), ...unmatched].join(' ') });
    } finally {
      setBusy(false);
    }
  };

  const lockedHint = (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      <LockOutlined /> {t('residentForm.derivedFromId')}
    </Typography.Text>
  );
  const half = mobile ? 24 : 12;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? '100%' : 640}
      title={editing ? t('residentForm.editTitle', { name: resident?.name ?? '' }) : t('residentForm.createTitle')}
      destroyOnHidden
      data-testid="resident-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="resident-form-submit">
            {editing ? t('common.save') : t('residentForm.register')}
          </Button>
        </Flex>
      }
    >
      {general ? (
        <Alert
          type="error"
          showIcon
          title={general.text}
          style={{ marginBottom: 16 }}
          action={general.stale ? <Button size="small" onClick={onReload ?? onClose}>{t('residentForm.closeAndReload')}</Button> : undefined}
        />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark
        onValuesChange={(changed: Record<string, unknown>) => {
          // Re-check fields whose rule depends on the changed one.
          const keys = Object.keys(changed);
          if (keys.includes('docNumber') || keys.includes('docType')) void form.validateFields(['sex', 'birthDate']).catch(() => undefined);
          if (keys.includes('docType') && form.getFieldValue('docNumber')) void form.validateFields(['docNumber']).catch(() => undefined);
        }}
      >
        <Form.Item name="householdId" label={t('residentForm.household')} required rules={[{ required: true, message: t('residentForm.householdRequired') }]}>
          <HouseholdPicker initialUnit={resident ? unitOf(resident.regionCode) : unitCode} initialLabel={householdAddress} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name="name" label={t('fields.name')} required rules={[rule('name')]} validateDebounce={200}>
              <Input maxLength={50} autoComplete="off" data-testid="rf-name" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="relationToHead" label={t('fields.relationToHead')} rules={[{ required: true, message: t('residentForm.relationRequired') }]}>
              <Select options={labels.options(RELATION_LABELS, RELATIONS)} data-testid="rf-relation" />
            </Form.Item>
          </Col>
        </Row>
        {editing && !changeDoc ? (
          <Form.Item label={t('fields.docNumber')}>
            <Flex align="center" gap={12} wrap="wrap">
              <Typography.Text code>{resident?.docNumberMasked}</Typography.Text>
              <Typography.Text type="secondary">{labels.docType(resident?.docType)}</Typography.Text>
              <Flex align="center" gap={6}>
                <Switch size="small" checked={changeDoc} onChange={setChangeDoc} data-testid="rf-change-doc" />
                <span>{t('residentForm.correctDocument')}</span>
              </Flex>
            </Flex>
          </Form.Item>
        ) : (
          <Row gutter={16}>
            <Col span={half}>
              <Form.Item name="docType" label={t('fields.docType')} rules={[{ required: true }]}>
                <Select options={labels.options(DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES)} data-testid="rf-doctype" />
              </Form.Item>
            </Col>
            <Col span={half}>
              <Form.Item name="docNumber" label={t('fields.docNumber')} required rules={[rule('docNumber')]} validateDebounce={250} hasFeedback>
                <Input maxLength={40} autoComplete="off" spellCheck={false} inputMode={docType === 'resident_id' ? 'text' : undefined} data-testid="rf-docnumber" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name="sex" label={t('fields.sex')} required rules={[rule('sex')]} extra={derived ? lockedHint : undefined}>
              <SexInput locked={!!derived} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="birthDate"
              label={t('fields.birthDate')}
              required
              rules={[rule('birthDate')]}
              extra={derived ? lockedHint : undefined}
            >
              <BirthInput locked={!!derived} today={today} mobile={mobile} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="phone"
              label={t('fields.phone')}
              rules={[rule('phone')]}
              validateDebounce={250}
              extra={editing && resident?.phoneMasked ? t('residentForm.phoneKeep', { masked: resident.phoneMasked }) : undefined}
            >
              <Input maxLength={20} inputMode="tel" autoComplete="off" data-testid="rf-phone" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="residenceStatus" label={t('fields.residenceStatus')} rules={[{ required: true }]}>
              <Select options={labels.options(RESIDENCE_STATUS_LABELS, RESIDENCE_STATUSES)} data-testid="rf-status" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tags" label={t('fields.tags')}>
          <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={labels.options(VULNERABILITY_TAG_LABELS, VULNERABILITY_TAGS)} placeholder={t('residentForm.tagsPlaceholder')} data-testid="rf-tags" />
        </Form.Item>
        <Form.Item name="notes" label={t('fields.notes')} rules={[rule('notes')]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
