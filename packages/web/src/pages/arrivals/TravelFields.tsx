import { TRANSPORTS } from '@gridline/shared';
import { DatePicker, Flex, Form, Input, Radio, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { arrivalsApi } from '../../api/arrivals';
import { useApi } from '../../api/hooks';
import { ErrorState } from '../../components/states';
import { TZ } from '../../lib/time';
import { useHealthLabels } from '../health/healthLabels';
import { ArrivalPlanView } from './ArrivalPlanView';

export interface TravelValues {
  originName: string;
  originRisk?: 'high' | 'medium' | 'low';
  arrivalDate: Dayjs;
  transport: (typeof TRANSPORTS)[number];
  transportNo: string;
  note: string;
}

export const travelDefaults = (): Partial<TravelValues> => ({ originName: '', arrivalDate: dayjs().tz(TZ), transport: 'train', transportNo: '', note: '' });

/**
 * Where from, when, how: the risk levels offered are those of the protocol in force at the arrival date, and
 * what that protocol requires for the chosen level is shown before saving.
 */
export function TravelFields({ form }: { form: FormInstance }) {
  const { t } = useTranslation();
  const labels = useHealthLabels();
  const date = Form.useWatch('arrivalDate', form) as Dayjs | undefined;
  const risk = Form.useWatch('originRisk', form) as TravelValues['originRisk'];
  const day = date ? date.format('YYYY-MM-DD') : undefined;
  const rules = useApi((s) => arrivalsApi.rules(day ?? '', s), [day], !!day);
  const levels = rules.data?.levels ?? [];
  const chosen = levels.find((l) => l.origin === risk);

  // A level the protocol at the new date does not know (e.g. "medium" after the twenty measures) is cleared.
  useEffect(() => {
    if (rules.data && risk && !rules.data.levels.some((l) => l.origin === risk)) form.setFieldValue('originRisk', undefined);
  }, [rules.data, risk, form]);

  return (
    <>
      <Form.Item name="arrivalDate" label={t('arrivals.arrivalDate')} rules={[{ required: true, message: t('arrivals.dateRequired') }]}>
        <DatePicker inputReadOnly style={{ width: '100%' }} allowClear={false} disabledDate={(d) => d.isAfter(dayjs().tz(TZ).add(14, 'day'), 'day') || d.isBefore(dayjs().tz(TZ).subtract(90, 'day'), 'day')} data-testid="arrival-date" />
      </Form.Item>
      <Form.Item name="originName" label={t('arrivals.originName')} rules={[{ required: true, min: 2, message: t('arrivals.originRequired') }]}>
        <Input maxLength={100} placeholder={t('arrivals.originPlaceholder')} data-testid="arrival-origin" />
      </Form.Item>
      <Form.Item
        name="originRisk"
        label={t('arrivals.originRisk')}
        rules={[{ required: true, message: t('arrivals.riskRequired') }]}
        extra={rules.data ? t('arrivals.levelsOf', { name: rules.data.protocol.name }) : undefined}
      >
        <Radio.Group optionType="button" buttonStyle="solid" options={levels.map((l) => ({ value: l.origin, label: labels.risk(l.origin) }))} data-testid="arrival-risk" />
      </Form.Item>
      {rules.error ? <ErrorState error={rules.error} onRetry={rules.reload} compact /> : null}
      {chosen ? (
        <div style={{ marginBottom: 16 }}>
          <ArrivalPlanView plan={chosen.plan} />
        </div>
      ) : null}
      <Flex gap={8} wrap="wrap">
        <Form.Item name="transport" label={t('arrivals.transport')} style={{ flex: 1, minWidth: 140 }}>
          <Select options={TRANSPORTS.map((x) => ({ value: x, label: labels.transport(x) }))} data-testid="arrival-transport" />
        </Form.Item>
        <Form.Item name="transportNo" label={t('arrivals.transportNo')} style={{ flex: 1, minWidth: 140 }}>
          <Input maxLength={30} placeholder={t('arrivals.transportNoPlaceholder')} />
        </Form.Item>
      </Flex>
      <Form.Item name="note" label={t('arrivals.note')}>
        <Input.TextArea rows={2} maxLength={300} />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('arrivals.recordNotOrder')}
      </Typography.Paragraph>
    </>
  );
}

export function travelBody(v: TravelValues) {
  return {
    originName: v.originName.trim(),
    originRisk: v.originRisk ?? 'low',
    arrivalDate: v.arrivalDate.format('YYYY-MM-DD'),
    transport: v.transport,
    ...(v.transportNo.trim() ? { transportNo: v.transportNo.trim() } : {}),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}
