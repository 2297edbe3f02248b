import { EditOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { ROLE_LABELS, ROLES, type Role } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi, type User } from '../../api/endpoints';
import { useApi, useNotifyError } from '../../api/hooks';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState } from '../../components/states';
import { useRegionNames } from '../../lib/address';
import { useLabels } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';
import { UserForm } from './UserForm';

/** 账号管理 (user.manage): accounts under my node. */
export default function UsersPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState<string | undefined>(undefined);
  const [role, setRole] = useState<Role | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [form, setForm] = useState<{ open: boolean; user?: User }>({ open: false });
  const [temp, setTemp] = useState<{ user: User; password: string; initial: boolean } | undefined>(undefined);
  const list = useApi((s) => usersApi.list({ q: search, role, page, pageSize }, s), [search, role, page, pageSize]);
  const nodeNames = useRegionNames(list.data?.items.map((u) => u.nodeCode) ?? [], (room) => t('residents.room', { room }));

  const reset = (u: User) => {
    modal.confirm({
      title: t('users.resetTitle', { name: u.username }),
      content: t('users.resetBody'),
      okText: t('users.reset'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await usersApi.resetPassword(u.id);
          setTemp({ user: u, password: r.temporaryPassword, initial: false });
          list.reload();
        } catch (err) {
          notifyError(err);
        }
      },
    });
  };

  return (
    <PageContainer
      testId="users-page"
      title={t('menu.users')}
      subTitle={t('users.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })} data-testid="user-create">
          {t('users.create')}
        </Button>
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap="wrap">
          <Input.Search
            style={{ flex: 1, minWidth: 200, maxWidth: 360 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => {
              setSearch(v.trim() || undefined);
              setPage(1);
            }}
            allowClear
            enterButton
            placeholder={t('users.searchPlaceholder')}
            data-testid="users-search"
          />
          <Select
            allowClear
            style={{ width: mobile ? '100%' : 220 }}
            placeholder={t('users.filterRole')}
            value={role}
            options={labels.options(ROLE_LABELS, ROLES)}
            onChange={(r) => {
              setRole(r);
              setPage(1);
            }}
            data-testid="users-role"
          />
        </Flex>
      </Card>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<User>
            rowKey="id"
            data-testid="users-table"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 980 }}
            locale={{ emptyText: <EmptyState description={t('users.empty')} /> }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: !mobile,
              simple: mobile,
              onChange: (p, ps) => {
                setPage(ps !== pageSize ? 1 : p);
                setPageSize(ps);
              },
              style: { paddingInline: 16 },
            }}
            columns={[
              {
                title: t('users.username'),
                dataIndex: 'username',
                fixed: 'left',
                width: 130,
                render: (v: string, u) => (
                  <span>
                    <Typography.Text strong>{v}</Typography.Text>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {u.displayName}
                    </Typography.Text>
                  </span>
                ),
              },
              { title: t('users.role'), dataIndex: 'role', width: 150, render: (v: Role) => labels.role(v) },
              { title: t('users.node'), dataIndex: 'nodeCode', width: 220, render: (v: string) => nodeNames.get(v) ?? v },
              {
                title: t('users.status'),
                key: 'status',
                width: 150,
                render: (_: unknown, u) => (
                  <Flex gap={4} wrap="wrap">
                    {u.disabled ? <Tag color="default">{t('users.statusDisabled')}</Tag> : <Tag color="success">{t('users.statusActive')}</Tag>}
                    {u.mustChangePassword ? <Tag color="warning">{t('users.mustChange')}</Tag> : null}
                  </Flex>
                ),
              },
              { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', width: 150, render: (v: number | null) => (v ? formatDateTime(v) : t('users.never')) },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 190,
                render: (_: unknown, u) => (
                  <Flex gap={4} wrap="wrap">
                    <Button size="small" icon={<EditOutlined />} onClick={() => setForm({ open: true, user: u })} data-testid="user-edit">
                      {t('common.edit')}
                    </Button>
                    <Button size="small" icon={<KeyOutlined />} onClick={() => reset(u)} data-testid="user-reset">
                      {t('users.reset')}
                    </Button>
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      ) : null}
      <UserForm
        open={form.open}
        user={form.user}
        onClose={() => setForm({ open: false })}
        onSaved={(u, password) => {
          setForm({ open: false });
          list.reload();
          if (password) setTemp({ user: u, password, initial: true });
        }}
      />
      <Modal
        open={!!temp}
        title={temp?.initial ? t('users.createdTitle') : t('users.tempTitle')}
        onCancel={() => setTemp(undefined)}
        footer={
          <Button type="primary" onClick={() => setTemp(undefined)}>
            {t('users.tempDone')}
          </Button>
        }
        mask={{ closable: false }}
        destroyOnHidden
      >
        {temp ? (
          <div data-testid="temp-password">
            <Typography.Paragraph>{t('users.tempFor', { name: temp.user.displayName, username: temp.user.username })}</Typography.Paragraph>
            <Typography.Paragraph copyable={{ text: temp.password }} style={{ fontSize: 22, fontFamily: 'monospace', letterSpacing: 1 }} data-testid="temp-password-value">
              {temp.password}
            </Typography.Paragraph>
            <Alert type="warning" showIcon title={t('users.tempOnce')} />
          </div>
        ) : null}
      </Modal>
    </PageContainer>
  );
}
