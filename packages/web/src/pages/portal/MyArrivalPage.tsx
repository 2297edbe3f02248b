import { CheckCircleFilled } from '@ant-design/icons';
import type { Arrival } from '@gridline/shared';
import { Alert, Button, Card, Flex, Form, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { arrivalsApi } from '../../api/arrivals';
import { toApiError } from '../../api/client';
import { useApi, useErrorText } from '../../api/hooks';
import { ErrorState, LoadingBlock } from '../../components/states';
import { ArrivalPlanView } from '../arrivals/ArrivalPlanView';
import { TravelFields, travelBody, travelDefaults, type TravelValues } from '../arrivals/TravelFields';
import { useHealthLabels } from '../health/healthLabels';

/** 来返报备: the resident reports their own arrival; the protocol's requirements are shown before and after saving. */
export default function MyArrivalPage() {
  const { t } = useTranslation();
  const labels = useHealthLabels();
  const errorText = useErrorText();
  const [form] = Form.useForm<TravelValues>();
  const mine = useApi((s) => arrivalsApi.mine(s), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<Arrival | undefined>(undefined);

  const submit = async (v: TravelValues) => {
    setBusy(true);
    setError(undefined);
    try {
      setSaved(await arrivalsApi.reportMine(travelBody(v)));
      form.resetFields();
      window.scrollTo(0, 0);
      mine.reload();
    } catch (err) {
      const e = toApiError(err);
      const placed = e.fields.map((f) => ({ name: /^\/body\/([^/]+)/.exec(f.path)?.[1] ?? '', errors: [f.message] })).filter((f) => f.name);
      form.setFields(placed.map((f) => ({ name: f.name as keyof TravelValues, errors: f.errors })));
      if (!placed.length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={12}>
      {saved ? (
        <Card data-testid="my-arrival-done">
          <Flex vertical gap={8}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              <CheckCircleFilled style={{ color: '#52c41a' }} /> {t('arrivals.portal.saved')}
            </Typography.Title>
            <ArrivalPlanView plan={saved.plan} tasks={saved.tasks} />
            <Typography.Text type="secondary">{saved.plan.rule.measure === 'none' ? t('arrivals.portal.savedNothing') : t('arrivals.portal.savedHint')}</Typography.Text>
            <Button onClick={() => setSaved(undefined)}>{t('arrivals.portal.another')}</Button>
          </Flex>
        </Card>
      ) : (
        <Card data-testid="my-arrival">
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('arrivals.portal.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('arrivals.portal.intro')}</Typography.Paragraph>
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
          <Form form={form} layout="vertical" size="large" initialValues={travelDefaults()} onFinish={(v) => void submit(v)} requiredMark={false}>
            <TravelFields form={form} />
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="my-arrival-submit">
              {t('arrivals.portal.submit')}
            </Button>
          </Form>
        </Card>
      )}
      {mine.error ? <ErrorState error={mine.error} onRetry={mine.reload} compact /> : null}
      {!mine.data && !mine.error ? <LoadingBlock rows={3} card /> : null}
      {mine.data?.items.length ? (
        <Card size="small" title={t('arrivals.portal.history')}>
          <Flex vertical gap={12}>
            {mine.data.items.map((a) => (
              <Flex key={a.id} vertical gap={4} data-testid="my-arrival-item">
                <Typography.Text strong>
                  {a.arrivalDate} · {a.originName} <Tag>{labels.risk(a.originRisk)}</Tag>
                  {a.status === 'cancelled' ? <Tag>{t('arrivals.status.cancelled')}</Tag> : null}
                </Typography.Text>
                <Typography.Text type="secondary">{labels.plan(a.plan)}</Typography.Text>
              </Flex>
            ))}
          </Flex>
        </Card>
      ) : null}
    </Flex>
  );
}
