import { Alert, App, Button, Descriptions, Drawer, Flex, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { arrivalsApi } from '../../api/arrivals';
import { useApi, useErrorText } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { useHealthLabels } from '../health/healthLabels';
import { ArrivalPlanView } from './ArrivalPlanView';

/** One arrival report: who, from where, when, what the protocol required and the tasks it raised; withdraw one entered in error. */
export function ArrivalDrawer(props: { arrivalId: string | undefined; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useHealthLabels();
  const errorText = useErrorText();
  const [tick, setTick] = useState(0);
  const a = useApi((s) => arrivalsApi.get(props.arrivalId ?? '', s), [props.arrivalId, tick], !!props.arrivalId);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const x = a.data && a.data.id === props.arrivalId ? a.data : undefined;

  const cancel = async () => {
    if (!x) return;
    setBusy(true);
    setError(undefined);
    try {
      await arrivalsApi.cancel(x.id, reason.trim());
      void message.success(t('arrivals.cancelled'));
      setCancelling(false);
      setTick((n) => n + 1);
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={!!props.arrivalId} onClose={props.onClose} size={mobile ? '100%' : 560} destroyOnHidden title={x ? t('arrivals.drawerTitle', { name: x.resident.name }) : t('arrivals.detail')} data-testid="arrival-drawer">
      {a.error ? <ErrorState error={a.error} onRetry={a.reload} /> : null}
      {!x && !a.error ? <LoadingBlock rows={6} /> : null}
      {x ? (
        <Flex vertical gap={16}>
          {x.status === 'cancelled' ? <Alert type="info" showIcon title={t('arrivals.cancelledNotice', { reason: x.cancelReason ?? '' })} /> : null}
          <ArrivalPlanView plan={x.plan} tasks={x.tasks} cancelled={x.status === 'cancelled'} />
          <Descriptions
            column={1}
            size="small"
            bordered
            styles={{ label: { width: mobile ? 92 : 110 } }}
            items={[
              { key: 'who', label: t('tasks.resident'), children: <span>{x.resident.name}（{x.resident.phoneMasked ?? t('common.none')}）{x.newlyRegistered ? <Tag color="blue" style={{ marginInlineStart: 8 }}>{t('arrivals.newlyRegistered')}</Tag> : null}</span> },
              { key: 'origin', label: t('arrivals.originName'), children: <span>{x.originName} <Tag>{labels.risk(x.originRisk)}</Tag></span> },
              { key: 'date', label: t('arrivals.arrivalDate'), children: x.arrivalDate },
              { key: 'transport', label: t('arrivals.transport'), children: `${labels.transport(x.transport)} ${x.transportNo}`.trim() },
              ...(x.note ? [{ key: 'note', label: t('arrivals.note'), children: x.note }] : []),
              { key: 'by', label: t('health.reporter'), children: `${t(`health.by.${x.reportedBy.kind}`, { name: x.reportedBy.name })} · ${formatDateTime(x.createdAt)}` },
              { key: 'protocol', label: t('arrivals.protocol'), children: <Typography.Text>{x.plan.protocolName}</Typography.Text> },
            ]}
          />
          {error ? <Alert type="error" showIcon title={error} /> : null}
          {can('arrival.write') && x.status === 'active' ? (
            cancelling ? (
              <Flex vertical gap={8}>
                <Input.TextArea rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('arrivals.cancelReason')} />
                <Flex gap={8}>
                  <Button onClick={() => setCancelling(false)} style={{ flex: 1 }}>
                    {t('common.back')}
                  </Button>
                  <Button danger type="primary" loading={busy} disabled={reason.trim().length < 2} onClick={() => void cancel()} style={{ flex: 2 }}>
                    {t('arrivals.cancel')}
                  </Button>
                </Flex>
              </Flex>
            ) : (
              <Button danger onClick={() => setCancelling(true)}>
                {t('arrivals.cancel')}
              </Button>
            )
          ) : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}
