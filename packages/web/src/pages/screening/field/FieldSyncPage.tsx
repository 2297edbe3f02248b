import type { Visit } from '@gridline/shared';
import { App, Button, Card, Descriptions, Flex, Popconfirm, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNotifyError } from '../../../api/hooks';
import { screeningApi } from '../../../api/screening';
import { EmptyState } from '../../../components/states';
import { formatDateTime } from '../../../lib/time';
import type { QueuedVisit } from '../../../offline/db';
import { useSyncState, visitQueue } from '../../../offline/visit-queue';

const STATUS_COLOR = { pending: 'processing', failed: 'error', conflict: 'warning', synced: 'success' } as const;

/** A conflict: a colleague completed a visit to this household after the list this visit was made from. */
function ConflictCard({ v, onDone }: { v: Visit; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  const resolve = async (resolution: 'keep_theirs' | 'use_mine') => {
    setBusy(true);
    try {
      await screeningApi.resolve(v.id, { resolution });
      await visitQueue.settled(v.id);
      void message.success(resolution === 'keep_theirs' ? t('screening.conflict.keptTheirs') : t('screening.conflict.usedMine'));
      onDone();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const outcome = (o: string) => t(`screening.outcome.${o}`);
  return (
    <Card className="field-card" data-testid="conflict-card">
      <Typography.Text strong>{v.address}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>{t('screening.conflict.explain')}</Typography.Paragraph>
      <Descriptions size="small" column={1} bordered items={[
        { key: 'mine', label: t('screening.conflict.mine'), children: `${formatDateTime(v.visitedAt)} · ${outcome(v.outcome)} · ${t('screening.conflict.people', { count: v.residents, abnormal: v.abnormalResidents })}` },
        ...(v.conflict ? [{ key: 'theirs', label: t('screening.conflict.theirs', { name: v.conflict.visitedByName }), children: `${formatDateTime(v.conflict.visitedAt)} · ${outcome(v.conflict.outcome)} · ${t('screening.conflict.people', { count: v.conflict.residents, abnormal: v.conflict.abnormalResidents })}` }] : []),
      ]} />
      <Flex gap={8} style={{ marginTop: 10 }}>
        <Button block loading={busy} onClick={() => void resolve('keep_theirs')} data-testid="conflict-keep-theirs">{t('screening.conflict.keepTheirs')}</Button>
        <Popconfirm title={t('screening.conflict.useMineConfirm')} okText={t('screening.conflict.useMine')} cancelText={t('common.cancel')} onConfirm={() => void resolve('use_mine')}>
          <Button block type="primary" loading={busy} data-testid="conflict-use-mine">{t('screening.conflict.useMine')}</Button>
        </Popconfirm>
      </Flex>
    </Card>
  );
}

/** 同步记录: what waits to be sent, what the server refused (and why), and conflicts to resolve. */
export default function FieldSyncPage() {
  const { t } = useTranslation();
  const sync = useSyncState();
  const [items, setItems] = useState<QueuedVisit[]>([]);
  const [conflicts, setConflicts] = useState<Visit[] | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    void visitQueue.items().then((q) => setItems([...q].reverse()));
  }, [sync.pending, sync.failed, sync.conflicts, sync.lastSyncedAt, tick]);
  useEffect(() => {
    const ac = new AbortController();
    screeningApi.myVisits({ status: 'conflict', pageSize: 50 }, ac.signal).then((p) => setConflicts(p.items), () => setConflicts(null));
    return () => ac.abort();
  }, [sync.conflicts, sync.lastSyncedAt, tick]);

  return (
    <Flex vertical gap={10} data-testid="field-sync">
      <Typography.Title level={5} style={{ margin: 0 }}>{t('screening.conflict.title')}</Typography.Title>
      {conflicts === null ? <Typography.Text type="secondary">{t('screening.conflict.needsNetwork')}</Typography.Text> : null}
      {conflicts?.length === 0 ? <Typography.Text type="secondary">{t('screening.conflict.none')}</Typography.Text> : null}
      {conflicts?.map((v) => <ConflictCard key={v.id} v={v} onDone={reload} />)}
      <Typography.Title level={5} style={{ margin: '8px 0 0' }}>{t('screening.queue.title')}</Typography.Title>
      {items.length === 0 ? <EmptyState description={t('screening.queue.empty')} /> : null}
      {items.map((q) => (
        <Card key={q.clientKey} size="small" className="field-card" data-testid="queue-item" data-status={q.status}>
          <Flex justify="space-between" align="flex-start" gap={8}>
            <div style={{ minWidth: 0 }}>
              <Typography.Text strong>{q.address}</Typography.Text>
              <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(q.createdAt)} · {t(`screening.outcome.${q.body.outcome}`)}</Typography.Text></div>
            </div>
            <Tag color={STATUS_COLOR[q.status]}>{t(`screening.queue.status.${q.status}`)}</Tag>
          </Flex>
          {q.status === 'failed' ? (
            <>
              <Typography.Paragraph type="danger" style={{ margin: '6px 0' }}>{q.error}</Typography.Paragraph>
              <Flex gap={8}>
                <Button size="small" onClick={() => void visitQueue.retry(q.clientKey)}>{t('screening.queue.retry')}</Button>
                <Popconfirm title={t('screening.queue.discardConfirm')} okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => void visitQueue.discard(q.clientKey).then(reload)}>
                  <Button size="small" danger>{t('screening.queue.discard')}</Button>
                </Popconfirm>
              </Flex>
            </>
          ) : null}
        </Card>
      ))}
    </Flex>
  );
}
