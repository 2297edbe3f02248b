import { DOCUMENT_TYPES, type Arrival, type CreateArrivalBody } from '@gridline/shared';
import { Alert, Button, DatePicker, Drawer, Flex, Form, Input, Segmented, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { arrivalsApi } from '../../api/arrivals';
import { toApiError } from '../../api/client';
import { useErrorText } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { useLabels } from '../../lib/labels';
import { ResidentPicker } from '../health/ResidentPicker';
import { HouseholdPicker } from '../residents/HouseholdPicker';
import { TravelFields, travelBody, travelDefaults, type TravelValues } from './TravelFields';

interface Values extends TravelValues {
  residentId?: string;
  householdId?: string;
  name?: string;
  docType: (typeof DOCUMENT_TYPES)[number];
  docNumber?: string;
  phone?: string;
  sex?: 'male' | 'female';
  birthDate?: Dayjs;
}

/** 来返报备 by a worker: a registered resident, or a person not yet registered (added to the register at the arrival address). */
export function ArrivalForm(props: { open: boolean; onClose: () => void; onSaved: (a: Arrival) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [who, setWho] = useState<'registered' | 'new'>('registered');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const docType = Form.useWatch('docType', form);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    const body: CreateArrivalBody =
      who === 'registered'
        ? { residentId: v.residentId ?? '', ...travelBody(v) }
        : {
            person: {
              householdId: v.householdId ?? '', name: (v.name ?? '').trim(), docType: v.docType, docNumber: (v.docNumber ?? '').trim(),
              ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}), ...(v.sex ? { sex: v.sex } : {}), ...(v.birthDate ? { birthDate: v.birthDate.format('YYYY-MM-DD') } : {}),
            },
            ...travelBody(v),
          };
    try {
      const saved = await arrivalsApi.create(body);
      form.resetFields();
      props.onSaved(saved);
    } catch (err) {
      // The new person's fields come back as /body/person/<field>: put those under the matching inputs too.
      const e = toApiError(err);
      const known = new Set(['residentId', 'householdId', 'name', 'docType', 'docNumber', 'phone', 'sex', 'birthDate', 'originName', 'originRisk', 'arrivalDate', 'transport', 'transportNo', 'note']);
      const placed = e.fields
        .map((f) => ({ name: /^\/body\/(?:person\/)?([^/]+)/.exec(f.path)?.[1] ?? '', message: f.message }))
        .filter((f) => known.has(f.name));
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
      title={t('arrivals.create')}
      data-testid="arrival-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="arrival-submit">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ ...travelDefaults(), docType: 'resident_id' }} requiredMark={false}>
        <Segmented block value={who} onChange={(v) => setWho(v as 'registered' | 'new')} options={[{ value: 'registered', label: t('arrivals.registered') }, { value: 'new', label: t('arrivals.newPerson') }]} style={{ marginBottom: 16 }} data-testid="arrival-who" />
        {who === 'registered' ? (
          <Form.Item name="residentId" label={t('health.picker.label')} rules={[{ required: true, message: t('health.picker.required') }]}>
            <ResidentPicker />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="householdId" label={t('arrivals.household')} rules={[{ required: true, message: t('arrivals.householdRequired') }]} extra={t('arrivals.householdHint')}>
              <HouseholdPicker />
            </Form.Item>
            <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, message: t('arrivals.nameRequired') }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Flex gap={8} wrap="wrap">
              <Form.Item name="docType" label={t('fields.docType')} style={{ minWidth: 140 }}>
                <Select options={DOCUMENT_TYPES.map((d) => ({ value: d, label: labels.docType(d) }))} />
              </Form.Item>
              <Form.Item name="docNumber" label={t('fields.docNumber')} rules={[{ required: true, message: t('arrivals.docRequired') }]} style={{ flex: 1, minWidth: 200 }}>
                <Input maxLength={40} />
              </Form.Item>
            </Flex>
            {docType && docType !== 'resident_id' ? (
              <Flex gap={8} wrap="wrap">
                <Form.Item name="sex" label={t('fields.sex')} rules={[{ required: true, message: t('arrivals.sexRequired') }]}>
                  <Segmented options={[{ value: 'male', label: t('sex.male') }, { value: 'female', label: t('sex.female') }]} />
                </Form.Item>
                <Form.Item name="birthDate" label={t('fields.birthDate')} rules={[{ required: true, message: t('arrivals.birthRequired') }]} style={{ flex: 1 }}>
                  <DatePicker inputReadOnly style={{ width: '100%' }} />
                </Form.Item>
              </Flex>
            ) : null}
            <Form.Item name="phone" label={t('fields.phone')}>
              <Input inputMode="tel" maxLength={20} />
            </Form.Item>
          </>
        )}
        <TravelFields form={form} />
      </Form>
    </Drawer>
  );
}
