import { Alert, App, Button, Card, Flex, Input, List, Pagination, Segmented, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi, useErrorText } from '../../api/hooks';
import { notificationsApi } from '../../api/inbox';
import { useLiveEvents } from '../../api/live';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { bellChanged } from './NotificationBell';

function EmailSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const settings = useApi((s) => notificationsApi.settings(s), []);
  const [email, setEmail] = useState('');
  const [enabled, setEnabled] = useState(false);
  useEffect(() => {
    setEmail(settings.data?.email ?? '');
    setEnabled(settings.data?.emailEnabled ?? false);
  }, [settings.data]);
  const save = async () => {
    try {
      await notificationsApi.saveSettings({ email: email.trim() || null, emailEnabled: enabled });
      message.success(t('notifications.saved'));
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card size="small" title={t('notifications.settings')}>
      {settings.data && !settings.data.smtpConfigured ? <Alert type="info" showIcon message={t('notifications.smtpOff')} style={{ marginBottom: 8 }} /> : null}
      <Flex gap={8} wrap="wrap" align="center">
        <Input value={email} onChange={(e) => setEmail(e.target.value)} placeholder={t('notifications.email')} style={{ width: 240 }} type="email" />
        <Switch checked={enabled} onChange={setEnabled} /> {t('notifications.emailEnabled')}
        <Button onClick={() => void save()}>{t('common.save')}</Button>
      </Flex>
    </Card>
  );
}

/** All my notifications, newest first; opening one marks it read and follows its link. */
export default function NotificationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const unreadOnly = sp.get('unread') === '1';
  const page = Number(sp.get('page') ?? 1) || 1;
  const [tick, setTick] = useState(0);
  const list = useApi((s) => notificationsApi.list({ page, pageSize: 20, ...(unreadOnly ? { unread: true } : {}) }, s), [page, unreadOnly, tick]);
  useLiveEvents(['notification'], () => setTick((n) => n + 1));
  const open = async (id: string, link: string | null) => {
    await notificationsApi.markRead({ ids: [id] }).catch(() => undefined);
    setTick((n) => n + 1);
    bellChanged();
    if (link) void navigate(link);
  };
  return (
    <PageContainer
      testId="notifications-page"
      title={t('notifications.pageTitle')}
      subTitle={list.data ? t('notifications.unread', { count: list.data.unread }) : undefined}
      extra={<Button data-testid="notifications-mark-all" disabled={!list.data?.unread} onClick={() => void notificationsApi.markRead({ all: true }).then(() => { setTick((n) => n + 1); bellChanged(); })}>{t('notifications.markAll')}</Button>}
    >
      <Flex vertical gap={12}>
        <Segmented value={unreadOnly ? 'unread' : 'all'} onChange={(v) => setSp(v === 'unread' ? { unread: '1' } : {})} options={[{ value: 'all', label: t('common.all') }, { value: 'unread', label: t('notifications.unreadOnly') }]} style={{ alignSelf: 'flex-start' }} />
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
        {!list.error && !list.data ? <LoadingBlock rows={5} card /> : null}
        {list.data && list.data.items.length === 0 ? <EmptyState description={t('notifications.empty')} /> : null}
        {list.data && list.data.items.length ? (
          <List
            bordered
            style={{ background: '#fff' }}
            dataSource={list.data.items}
            data-testid="notifications-list"
            renderItem={(n) => (
              <List.Item style={{ cursor: n.link ? 'pointer' : undefined, background: n.readAt ? undefined : '#f0f7ff' }} onClick={() => void open(n.id, n.link)}>
                <Flex vertical gap={2} style={{ minWidth: 0, width: '100%' }}>
                  <Flex justify="space-between" gap={8} vertical={mobile}>
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12, flexShrink: 0 }}>{formatDateTime(n.createdAt)}</Typography.Text>
                  </Flex>
                  {n.body ? <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{n.body}</Typography.Paragraph> : null}
                </Flex>
              </List.Item>
            )}
          />
        ) : null}
        {list.data && list.data.total > list.data.pageSize ? <Pagination current={page} pageSize={20} total={list.data.total} simple={mobile} onChange={(p) => setSp({ ...(unreadOnly ? { unread: '1' } : {}), page: String(p) })} style={{ alignSelf: 'center' }} /> : null}
        <EmailSettings />
      </Flex>
    </PageContainer>
  );
}
