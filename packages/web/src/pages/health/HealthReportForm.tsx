import type { HealthReport, MyHealthReportBody, Symptom } from '@gridline/shared';
import { Button, DatePicker, Flex, Form, Input, Segmented, Switch, Typography } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { inShanghai, TZ } from '../../lib/time';
import { SymptomChips } from './SymptomChips';
import { TemperatureStepper } from './TemperatureStepper';

interface Values {
  temperatureC: number;
  symptoms: Symptom[];
  hasTest: boolean;
  testResult: 'negative' | 'positive';
  testAt: Dayjs | null;
  note: string;
}

function initialValues(r: HealthReport | null | undefined): Values {
  return {
    temperatureC: r?.temperatureC ?? 36.5,
    symptoms: r?.symptoms ?? [],
    hasTest: !!r?.test,
    testResult: r?.test?.result ?? 'negative',
    testAt: r?.test ? inShanghai(r.test.sampledAt) : null,
    note: r?.note ?? '',
  };
}

/**
 * Today's report: temperature stepper, symptom chips, optionally the latest test (result and sampling time),
 * a note. Used by residents in the portal and by workers recording on someone's behalf.
 */
export function HealthReportForm(props: {
  feverThresholdC: number;
  initial?: HealthReport | null | undefined;
  busy: boolean;
  submitText: string;
  onSubmit: (body: MyHealthReportBody) => void;
  form?: FormInstance<Values>;
}) {
  const { t } = useTranslation();
  const [own] = Form.useForm<Values>();
  const form = props.form ?? own;
  const hasTest = Form.useWatch('hasTest', form);
  useEffect(() => {
    form.setFieldsValue(initialValues(props.initial));
  }, [props.initial, form]);

  const submit = (v: Values) => {
    const test = v.hasTest && v.testAt ? { result: v.testResult, sampledAt: dayjs.tz(v.testAt.format('YYYY-MM-DD HH:mm'), TZ).valueOf() } : null;
    props.onSubmit({ temperatureC: v.temperatureC, symptoms: v.symptoms, test, note: v.note.trim() });
  };

  return (
    <Form form={form} layout="vertical" initialValues={initialValues(props.initial)} onFinish={submit} requiredMark={false} data-testid="health-form">
      <Form.Item name="temperatureC" label={<Typography.Text strong>{t('health.form.temperature')}</Typography.Text>}>
        <TemperatureStepper feverThresholdC={props.feverThresholdC} />
      </Form.Item>
      <Form.Item name="symptoms" label={<Typography.Text strong>{t('health.form.symptoms')}</Typography.Text>} extra={t('health.form.symptomsHint')}>
        <SymptomChips />
      </Form.Item>
      <Flex align="center" gap={8} style={{ marginBottom: hasTest ? 8 : 16 }}>
        <Form.Item name="hasTest" valuePropName="checked" noStyle>
          <Switch data-testid="health-has-test" />
        </Form.Item>
        <Typography.Text>{t('health.form.hasTest')}</Typography.Text>
      </Flex>
      {hasTest ? (
        <Flex gap={12} wrap="wrap">
          <Form.Item name="testResult" label={t('health.form.testResult')}>
            <Segmented options={[{ value: 'negative', label: t('health.result.negative') }, { value: 'positive', label: t('health.result.positive') }]} data-testid="health-test-result" />
          </Form.Item>
          <Form.Item name="testAt" label={t('health.form.testAt')} rules={[{ required: true, message: t('health.form.testAtRequired') }]} style={{ flex: 1, minWidth: 200 }}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              inputReadOnly
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs().tz(TZ), 'day') || d.isBefore(dayjs().tz(TZ).subtract(14, 'day'), 'day')}
              data-testid="health-test-at"
            />
          </Form.Item>
        </Flex>
      ) : null}
      <Form.Item name="note" label={t('health.form.note')}>
        <Input.TextArea rows={2} maxLength={300} placeholder={t('health.form.notePlaceholder')} data-testid="health-note" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={props.busy} data-testid="health-submit">
        {props.submitText}
      </Button>
    </Form>
  );
}
