import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Flex, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { fieldStore } from '../offline/field-store';
import { useLabels } from '../lib/labels';

export function UserMenu({ compact = false, passwordPath = '/change-password' }: { compact?: boolean; passwordPath?: string }) {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const labels = useLabels();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  if (!me) return null;
  const signOut = async () => {
    // What this phone keeps for offline field work (names, addresses, queued visits) leaves with the user.
    await fieldStore.forget(me.id).catch(() => undefined);
    await logout();
  };
  const confirmLogout = async () => {
    const unsent = await fieldStore.unsent(me.id).catch(() => 0);
    if (unsent > 0) {
      modal.confirm({
        title: t('user.unsentTitle', { count: unsent }),
        content: t('user.unsentBody'),
        okText: t('user.goSync'),
        cancelText: t('common.cancel'),
        onOk: () => navigate('/field/sync'),
        footer: (_, { OkBtn, CancelBtn }) => (
          <>
            <CancelBtn />
            <Button danger data-testid="discard-and-logout" onClick={() => void signOut().then(() => Modal.destroyAll())}>
              {t('user.discardAndLogout')}
            </Button>
            <OkBtn />
          </>
        ),
      });
      return;
    }
    modal.confirm({ title: t('user.logoutConfirm'), content: t('user.wipeNote'), okText: t('user.logout'), cancelText: t('common.cancel'), onOk: signOut });
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          {
            key: 'who',
            disabled: true,
            label: (
              <div style={{ maxWidth: 240 }}>
                <Typography.Text strong>{me.displayName}</Typography.Text>
                <br />
                <Typography.Text type="secondary">
                  {labels.role(me.role)} · {me.username}
                </Typography.Text>
              </div>
            ),
          },
          { type: 'divider' },
          { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('user.changePassword')}</span> },
          { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="menu-logout">{t('user.logout')}</span> },
        ],
        onClick: ({ key }) => {
          if (key === 'password') navigate(passwordPath);
          if (key === 'logout') void confirmLogout();
        },
      }}
    >
      <Button type="text" className="touch" data-testid="user-menu" style={{ paddingInline: 8 }}>
        <Flex align="center" gap={8}>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1668dc' }} />
          {compact ? null : (
            <span style={{ maxWidth: 140, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{me.displayName}</span>
          )}
          {compact ? null : <DownOutlined style={{ fontSize: 10 }} />}
        </Flex>
      </Button>
    </Dropdown>
  );
}
