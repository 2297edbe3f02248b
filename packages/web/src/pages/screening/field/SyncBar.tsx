import { CheckCircleFilled, CloudOutlined, ExclamationCircleFilled, LoadingOutlined, SyncOutlined, WarningFilled } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { formatDateTime } from '../../../lib/time';
import { useSyncState, visitQueue } from '../../../offline/visit-queue';

/**
 * The sync state, always in view: 已同步 / 待同步 N 条 / 同步失败 / conflicts to resolve, and whether the phone
 * is offline — so a worker never wonders whether a visit reached the server.
 */
export function SyncBar() {
  const { t } = useTranslation();
  const s = useSyncState();
  const onSyncPage = useLocation().pathname.startsWith('/field/sync');
  let state: 'synced' | 'pending' | 'syncing' | 'offline' | 'failed' | 'conflict' | 'auth';
  if (s.failed) state = 'failed';
  else if (s.conflicts) state = 'conflict';
  else if (s.authNeeded && s.pending) state = 'auth';
  else if (s.syncing) state = 'syncing';
  else if (!s.online) state = 'offline';
  else if (s.pending) state = 'pending';
  else state = 'synced';
  const text = {
    synced: t('screening.sync.synced'),
    pending: t('screening.sync.pending', { count: s.pending }),
    syncing: t('screening.sync.syncing', { count: s.pending }),
    offline: s.pending ? t('screening.sync.offlinePending', { count: s.pending }) : t('screening.sync.offline'),
    failed: t('screening.sync.failed', { count: s.failed }),
    conflict: t('screening.sync.conflicts', { count: s.conflicts }),
    auth: t('screening.sync.auth', { count: s.pending }),
  }[state];
  const icon = {
    synced: <CheckCircleFilled />, pending: <CloudOutlined />, syncing: <LoadingOutlined />, offline: <CloudOutlined />,
    failed: <ExclamationCircleFilled />, conflict: <WarningFilled />, auth: <ExclamationCircleFilled />,
  }[state];
  return (
    <Flex className="field-sync" data-testid="sync-state" data-state={state} data-pending={s.pending} align="center" justify="space-between" gap={8}>
      <span>
        {icon} <span data-testid="sync-text">{text}</span>
        {state === 'synced' && s.lastSyncedAt ? <span className="muted"> · {formatDateTime(s.lastSyncedAt)}</span> : null}
        {state !== 'offline' && !s.online ? <span> · {t('screening.sync.offlineShort')}</span> : null}
      </span>
      {state === 'pending' ? (
        <Button size="small" type="link" icon={<SyncOutlined />} onClick={() => visitQueue.kick()} data-testid="sync-now">
          {t('screening.sync.now')}
        </Button>
      ) : (state === 'failed' || state === 'conflict') && !onSyncPage ? (
        <Link to="/field/sync" data-testid="sync-open">{t('screening.sync.open')}</Link>
      ) : state === 'auth' ? (
        <Link to="/login?redirect=%2Ffield">{t('screening.sync.signIn')}</Link>
      ) : null}
    </Flex>
  );
}
