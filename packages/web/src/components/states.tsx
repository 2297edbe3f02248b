import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Result, Skeleton, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/client';

/** A failed load: what went wrong in plain words, and a retry button. */
export function ErrorState({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const e = toApiError(error);
  if (e.isAuth) {
    return <Result status="warning" title={t('session.expiredTitle')} subTitle={t('session.expiredShort')} />;
  }
  const status = e.status === 403 ? '403' : e.status === 404 ? '404' : e.status === 0 ? 'warning' : 'error';
  return (
    <Result
      data-testid="error-state"
      status={compact ? 'warning' : status}
      title={e.status === 0 ? t('common.networkTitle') : t('common.loadFailed')}
      subTitle={e.text(i18n.language)}
      style={compact ? { padding: 16 } : undefined}
      extra={
        onRetry ? (
          <Button type="primary" icon={<ReloadOutlined />} onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** An endpoint this server does not have yet ("coming"): say so instead of failing. */
export function NotAvailable({ what, extra }: { what: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Result
      data-testid="not-available"
      status="info"
      title={t('common.notAvailableTitle', { what })}
      subTitle={t('common.notAvailableBody')}
      extra={extra}
    />
  );
}

export function LoadingBlock({ rows = 4, card = false }: { rows?: number; card?: boolean }) {
  const sk = <Skeleton active paragraph={{ rows }} data-testid="loading" />;
  return card ? <Card>{sk}</Card> : sk;
}

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div style={{ height: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" description={t('common.loading')}>
        <div style={{ width: 160, height: 80 }} />
      </Spin>
    </div>
  );
}

export function EmptyState({ description, children }: { description: ReactNode; children?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description} data-testid="empty-state">
      {children}
    </Empty>
  );
}
