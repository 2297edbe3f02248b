import { CASE_CLASSIFICATIONS, CASE_REPORT_SOURCES, type CaseClassification, type CaseView, type CreateCaseBody } from '@gridline/shared';
import { Alert, Button, DatePicker, Drawer, Flex, Form, Input, Segmented, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { casesApi } from '../../api/cases';
import { toApiError } from '../../api/client';
import { useErrorText } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { todayInShanghai } from '../../lib/time';
import { ResidentPicker } from '../health/ResidentPicker';
import { useCaseLabels } from './caseLabels';

interface Values {
  classification: CaseClassification;
  residentId?: string;
  name?: string;
  phone?: string;
  regionCode?: string;
  address?: string;
  onsetDate?: Dayjs;
  samplingDate?: Dayjs;
  reportSource: (typeof CASE_REPORT_SOURCES)[number];
  note?: string;
}

const KNOWN = new Set(['classification', 'residentId', 'name', 'phone', 'regionCode', 'address', 'onsetDate', 'samplingDate', 'reportSource', 'note']);

/** 新增病例: a resident picked from the register, or a person not in it (name, phone, the node the case belongs to). */
export function CaseForm(props: { open: boolean; onClose: () => void; onSaved: (c: CaseView) => void }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [who, setWho] = useState<'resident' | 'person'>('resident');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const classification = Form.useWatch('classification', form);
  const today = todayInShanghai();

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    const day = (d?: Dayjs) => (d ? d.format('YYYY-MM-DD') : null);
    const body: CreateCaseBody = {
      classification: v.classification,
      ...(who === 'resident'
        ? { residentId: v.residentId ?? '' }
        : { person: { name: (v.name ?? '').trim(), regionCode: v.regionCode ?? '', address: (v.address ?? '').trim(), ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}) } }),
      onsetDate: v.classification === 'asymptomatic' ? null : day(v.onsetDate),
      samplingDate: day(v.samplingDate),
      reportSource: v.reportSource,
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    };
    try {
      const saved = await casesApi.create(body);
      form.resetFields();
      props.onSaved(saved);
    } catch (err) {
      const e = toApiError(err);
      const placed = e.fields.map((f) => ({ name: /^\/body\/(?:person\/)?([^/]+)/.exec(f.path)?.[1] ?? '', message: f.message })).filter((f) => KNOWN.has(f.name));
      form.setFields(placed.map((f) => ({ name: f.name as keyof Values, errors: [f.message] })));
      if (!placed.length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      title={t('cases.create')}
      data-testid="case-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="case-submit">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ classification: 'confirmed', reportSource: '医院报告', samplingDate: dayjs(today) }} requiredMark={false}>
        <Form.Item name="classification" label={t('cases.fields.classification')}>
          <Segmented block options={CASE_CLASSIFICATIONS.map((c) => ({ value: c, label: labels.classification(c) }))} data-testid="case-classification" />
        </Form.Item>
        <Segmented block value={who} onChange={(v) => setWho(v as 'resident' | 'person')} options={[{ value: 'resident', label: t('cases.resident') }, { value: 'person', label: t('cases.person') }]} style={{ marginBottom: 16 }} data-testid="case-who" />
        {who === 'resident' ? (
          <Form.Item name="residentId" label={t('health.picker.label')} rules={[{ required: true, message: t('health.picker.required') }]}>
            <ResidentPicker testId="case-resident" />
          </Form.Item>
        ) : (
          <>
            <Flex gap={8} wrap="wrap">
              <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, message: t('cases.nameRequired') }]} style={{ flex: 1, minWidth: 160 }}>
                <Input maxLength={50} data-testid="case-name" />
              </Form.Item>
              <Form.Item name="phone" label={t('fields.phone')} style={{ flex: 1, minWidth: 160 }}>
                <Input inputMode="tel" maxLength={20} />
              </Form.Item>
            </Flex>
            <Form.Item name="regionCode" label={t('cases.fields.region')} rules={[{ required: true, message: t('cases.regionRequired') }]} extra={t('cases.regionHint')}>
              <RegionPicker maxLevel="unit" placeholder={t('cases.regionPlaceholder')} />
            </Form.Item>
            <Form.Item name="address" label={t('cases.fields.address')}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
        <Flex gap={8} wrap="wrap">
          {classification !== 'asymptomatic' ? (
            <Form.Item name="onsetDate" label={t('cases.fields.onsetDate')} style={{ flex: 1, minWidth: 150 }}>
              <DatePicker inputReadOnly style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} data-testid="case-onset" />
            </Form.Item>
          ) : null}
          <Form.Item name="samplingDate" label={t('cases.fields.samplingDate')} extra={t('cases.samplingHint')} style={{ flex: 1, minWidth: 150 }}>
            <DatePicker inputReadOnly style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} data-testid="case-sampling" />
          </Form.Item>
        </Flex>
        <Form.Item name="reportSource" label={t('cases.fields.reportSource')}>
          <Select options={CASE_REPORT_SOURCES.map((s) => ({ value: s, label: t(`cases.sources.${s}`) }))} data-testid="case-source" />
        </Form.Item>
        <Form.Item name="note" label={t('cases.fields.note')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
