import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, List, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/hooks';
import { notificationsApi } from '../../api/inbox';
import { useLiveEvents } from '../../api/live';
import { formatDateTime } from '../../lib/time';

const READ_EVENT = 'gridline:notifications-read';
/** Tells the bell that notifications were marked read elsewhere (the notifications page). */
export function bellChanged(): void {
  window.dispatchEvent(new Event(READ_EVENT));
}

/** The bell in the console header: unread count, live; the latest few in a popover; a click opens the link. */
export function NotificationBell(props: { compact?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState(false);
  const unread = useApi((s) => notificationsApi.unread(s), [tick]);
  const latest = useApi((s) => notificationsApi.list({ page: 1, pageSize: 6 }, s), [tick, open], open);
  useLiveEvents(['notification'], () => setTick((n) => n + 1));
  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    window.addEventListener(READ_EVENT, again);
    return () => window.removeEventListener(READ_EVENT, again);
  }, []);
  const count = unread.data?.unread ?? 0;
  const go = async (id: string, link: string | null) => {
    setOpen(false);
    await notificationsApi.markRead({ ids: [id] }).catch(() => undefined);
    setTick((n) => n + 1);
    if (link) void navigate(link);
  };
  const content = (
    <Flex vertical style={{ width: props.compact ? 300 : 360 }} data-testid="notification-popover">
      {latest.data && latest.data.items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} /> : null}
      <List
        size="small"
        loading={!latest.data}
        dataSource={latest.data?.items ?? []}
        renderItem={(n) => (
          <List.Item style={{ cursor: 'pointer', background: n.readAt ? undefined : '#f0f7ff', paddingInline: 8 }} onClick={() => void go(n.id, n.link)} data-testid="notification-item">
            <Flex vertical style={{ minWidth: 0 }}>
              <Typography.Text strong={!n.readAt} ellipsis>{n.title}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(n.createdAt)}</Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      <Flex justify="space-between" style={{ paddingTop: 8 }}>
        <Button type="link" size="small" disabled={!count} onClick={() => void notificationsApi.markRead({ all: true }).then(() => setTick((n) => n + 1))}>
          {t('notifications.markAll')}
        </Button>
        <Button type="link" size="small" onClick={() => { setOpen(false); void navigate('/notifications'); }}>
          {t('notifications.seeAll')}
        </Button>
      </Flex>
    </Flex>
  );
  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false}>
      <Button type="text" className="touch" aria-label={t('notifications.bell')} data-testid="notification-bell" icon={<Badge count={count} size="small" offset={[2, -2]} data-testid="notification-count"><BellOutlined style={{ fontSize: 18 }} /></Badge>} />
    </Popover>
  );
}
