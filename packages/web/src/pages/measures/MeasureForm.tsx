import { PERSON_MEASURES, SUBJECT_KINDS, untilZh, type PersonMeasureBody } from '@gridline/shared';
import { Alert, Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Segmented, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { useApi, useErrorText } from '../../api/hooks';
import { measuresApi, type Measure, type MeasureAssessment } from '../../api/measures';
import { measureSitesApi } from '../../api/measure-sites';
import { SiteSelect } from './SiteSelect';
import { useIsMobile } from '../../components/PageContainer';
import { shanghaiDayStart, todayInShanghai } from '../../lib/time';
import { ResidentPicker } from '../health/ResidentPicker';

interface Values {
  residentId?: string;
  measure: PersonMeasureBody['measure'];
  subjectKind: PersonMeasureBody['subject']['kind'];
  classification?: 'confirmed' | 'asymptomatic';
  origin?: 'high' | 'medium' | 'low';
  firstDay: Dayjs;
  days: number;
  placeKind: 'home' | 'site';
  siteName?: string;
  siteId?: string;
  reason?: string;
}

function bodyOf(v: Partial<Values>): PersonMeasureBody | null {
  if (!v.residentId || !v.measure || !v.subjectKind || !v.firstDay || !v.days) return null;
  return {
    residentId: v.residentId, measure: v.measure, firstDay: v.firstDay.format('YYYY-MM-DD'), days: v.days,
    subject: { kind: v.subjectKind, ...(v.subjectKind === 'case' && v.classification ? { classification: v.classification } : {}), ...(v.subjectKind === 'arrival' && v.origin ? { origin: v.origin } : {}) },
    // A designated site is named for centralized isolation only (the server refuses it on the other kinds).
    place: v.placeKind === 'site' ? { kind: 'site', name: v.siteName?.trim() || '集中隔离点', ...(v.siteId && v.measure === 'centralized_isolation' ? { siteId: v.siteId } : {}) } : { kind: 'home', name: '家中' },
    ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
  };
}

/**
 * A person measure: who, which measure, for whom (category), from which day for how many days. While the form is
 * filled, the server says what the protocol in force prescribes and who must approve; beyond it, a reason is required.
 */
export function MeasureForm(props: { open: boolean; onClose: () => void; onSaved: (m: Measure) => void; initialResident?: { id: string; name: string } }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Partial<Values> | undefined;
  const [assessment, setAssessment] = useState<MeasureAssessment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const body = values ? bodyOf(values) : null;
  // Active sites serving my jurisdiction, with their free places (re-read each time the form opens).
  const sites = useApi((s) => measureSitesApi.list(false, s), [props.open], props.open);
  const siteList = sites.data?.items ?? [];
  const centralized = values?.measure === 'centralized_isolation';
  const key = JSON.stringify(body && { ...body, reason: undefined });

  useEffect(() => {
    if (!body) {
      setAssessment(null);
      return undefined;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      measuresApi.assess(body, ac.signal).then(setAssessment, () => setAssessment(null));
    }, 250);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
    // Re-assessed when anything but the reason changes (`key` is the body without it).
  }, [key]);

  const submit = async (v: Values) => {
    const b = bodyOf(v);
    if (!b) return;
    setSaving(true);
    setError(null);
    try {
      const m = await measuresApi.create(b);
      form.resetFields();
      props.onSaved(m);
    } catch (err) {
      const e = toApiError(err);
      const reason = e.fields?.find((f) => f.path === '/body/reason');
      const site = e.fields?.find((f) => f.path === '/body/place/siteId');
      if (reason) form.setFields([{ name: 'reason', errors: [reason.message] }]);
      else if (site) {
        form.setFields([{ name: 'siteId', errors: [site.message] }]);
        sites.reload();
      } else setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const level = (l: string) => t(`measures.approval.${l}`);
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={t('measures.create')}
      size={mobile ? '100%' : 520}
      destroyOnHidden
      data-testid="measure-form"
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="measure-submit" disabled={!!assessment?.refusals.length}>
            {assessment && !assessment.proportionate ? t('measures.submitForApproval') : t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => void submit(v)}
        // Centralized isolation takes place at a site: switching to it selects the site place.
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.measure === 'centralized_isolation') form.setFieldValue('placeKind', 'site');
        }}
        initialValues={{ measure: 'home_isolation', subjectKind: 'close_contact', firstDay: dayjs(todayInShanghai()), days: 5, placeKind: 'home', residentId: props.initialResident?.id }}
      >
        <Form.Item name="residentId" label={t('measures.fields.person')} rules={[{ required: true, message: t('health.picker.required') }]}>
          <ResidentPicker initial={props.initialResident} testId="measure-resident" />
        </Form.Item>
        <Form.Item name="subjectKind" label={t('measures.subject.label')}>
          <Select options={SUBJECT_KINDS.map((k) => ({ value: k, label: t(`measures.subject.${k}`) }))} data-testid="measure-subject" />
        </Form.Item>
        {values?.subjectKind === 'case' ? (
          <Form.Item name="classification" label={t('measures.classification.label')} rules={[{ required: true, message: t('measures.classification.label') }]}>
            <Segmented block options={['confirmed', 'asymptomatic'].map((c) => ({ value: c, label: t(`measures.classification.${c}`) }))} />
          </Form.Item>
        ) : null}
        {values?.subjectKind === 'arrival' ? (
          <Form.Item name="origin" label={t('measures.origin.label')} rules={[{ required: true, message: t('measures.origin.label') }]}>
            <Segmented block options={['high', 'medium', 'low'].map((c) => ({ value: c, label: t(`measures.origin.${c}`) }))} />
          </Form.Item>
        ) : null}
        <Form.Item name="measure" label={t('measures.fields.measure')}>
          <Select options={PERSON_MEASURES.map((k) => ({ value: k, label: t(`measures.kind.${k}`) }))} data-testid="measure-kind" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="firstDay" label={t('measures.fields.firstDay')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} allowClear={false} />
          </Form.Item>
          <Form.Item name="days" label={t('measures.fields.days')} style={{ width: 110 }}>
            <InputNumber min={1} max={60} style={{ width: '100%' }} data-testid="measure-days" />
          </Form.Item>
        </Flex>
        <Form.Item name="placeKind" label={t('measures.fields.place')}>
          <Segmented block options={[{ value: 'home', label: t('measures.fields.placeHome') }, { value: 'site', label: t('measures.fields.placeSite') }]} />
        </Form.Item>
        {values?.placeKind === 'site' && centralized && siteList.length ? (
          <Form.Item name="siteId" label={t('measures.sites.label')} rules={[{ required: true, message: t('measures.sites.required') }]}>
            <SiteSelect sites={siteList} testId="measure-site" />
          </Form.Item>
        ) : null}
        {values?.placeKind === 'site' && !(centralized && siteList.length) ? (
          <Form.Item name="siteName" label={t('measures.fields.siteName')}>
            <Input maxLength={100} />
          </Form.Item>
        ) : null}
        {assessment ? (
          <Alert
            data-testid="measure-assessment"
            type={assessment.refusals.length ? 'error' : assessment.proportionate ? 'success' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            title={assessment.refusals.length ? t('measures.assessment.refused') : assessment.proportionate ? t('measures.assessment.within', { level: level(assessment.approval) }) : t('measures.assessment.beyond', { level: level(assessment.approval) })}
            description={
              <div>
                <div>{assessment.prescribed}</div>
                {[...assessment.excesses, ...assessment.refusals].map((f) => (
                  <div key={f.code}>· {f.message.split('；').pop()}</div>
                ))}
                {body ? <div style={{ marginTop: 4 }}>{t('measures.until', { date: untilZh(shanghaiDayStart(dayjs(body.firstDay).add(body.days, 'day'))) })}</div> : null}
              </div>
            }
          />
        ) : null}
        <Form.Item name="reason" label={t('measures.fields.reason')}>
          <Input.TextArea rows={2} maxLength={500} data-testid="measure-reason" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
