import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { EXEMPTION_CATEGORY_LABELS, type ExemptionCategory } from '@gridline/shared';
import { App, Button, Card, Checkbox, Flex, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useNotifyError } from '../../api/hooks';
import { exemptionsApi, type Exemption } from '../../api/places';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState } from '../../components/states';
import { pick } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';
import { ExemptionForm } from './ExemptionForm';

function status(e: Exemption): 'revoked' | 'activeNow' | 'pending' | 'ended' {
  if (e.revokedAt !== null) return 'revoked';
  if (e.active) return 'activeNow';
  return e.validFrom > Date.now() ? 'pending' : 'ended';
}
const STATUS_COLOR = { revoked: 'default', activeNow: 'green', pending: 'blue', ended: 'default' } as const;

/** 通行豁免 (place.write): granted with a reason and a time limit, revocable; each audited. */
export function ExemptionsTab() {
  const { t, i18n } = useTranslation();
  const mobile = useIsMobile();
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  const [activeOnly, setActiveOnly] = useState(true);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => exemptionsApi.list({ activeOnly: activeOnly || undefined, page, pageSize: 20 }, s), [activeOnly, page]);

  const revoke = (e: Exemption) => {
    let reason = '';
    modal.confirm({
      title: t('places.exemptions.revokeTitle', { name: e.residentMasked }),
      content: <Input.TextArea rows={2} maxLength={200} placeholder={t('places.exemptions.revokeReason')} onChange={(ev) => (reason = ev.target.value)} data-testid="revoke-reason" />,
      okText: t('places.exemptions.revoke'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await exemptionsApi.revoke(e.id, reason);
          list.reload();
        } catch (err) {
          notifyError(err);
          throw err;
        }
      },
    });
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t('places.exemptions.subtitle')}</Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={12} align="center" wrap="wrap">
          <Checkbox checked={activeOnly} onChange={(e) => { setActiveOnly(e.target.checked); setPage(1); }}>
            {t('places.exemptions.activeOnly')}
          </Checkbox>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} style={{ marginLeft: 'auto' }} data-testid="exemption-create">
            {t('places.exemptions.create')}
          </Button>
        </Flex>
      </Card>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<Exemption>
            rowKey="id"
            data-testid="exemptions-table"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 980 }}
            locale={{ emptyText: <EmptyState description={t('places.exemptions.empty')} /> }}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, simple: mobile, showSizeChanger: false, style: { paddingInline: 16 } }}
            columns={[
              { title: t('places.exemptions.resident'), dataIndex: 'residentMasked', width: 100, fixed: 'left' },
              { title: t('places.exemptions.category'), dataIndex: 'category', width: 130, render: (v: ExemptionCategory) => pick(EXEMPTION_CATEGORY_LABELS[v], i18n.language, v) },
              { title: t('places.exemptions.reason'), dataIndex: 'reason', width: 220 },
              { title: t('places.exemptions.period'), key: 'period', width: 250, render: (_: unknown, e) => `${formatDateTime(e.validFrom)} – ${formatDateTime(e.validUntil)}` },
              { title: t('places.exemptions.approvedBy'), dataIndex: 'approvedByName', width: 110 },
              {
                title: t('places.exemptions.status'),
                key: 'status',
                width: 150,
                render: (_: unknown, e) => (
                  <span>
                    <Tag color={STATUS_COLOR[status(e)]}>{t(`places.exemptions.${status(e)}`)}</Tag>
                    {e.revokeReason ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.revokeReason}</Typography.Text> : null}
                  </span>
                ),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 100,
                render: (_: unknown, e) =>
                  e.revokedAt === null && e.validUntil > Date.now() ? (
                    <Button size="small" danger icon={<StopOutlined />} onClick={() => revoke(e)} data-testid="exemption-revoke">
                      {t('places.exemptions.revoke')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      )}
      <ExemptionForm open={creating} onClose={() => setCreating(false)} onSaved={() => { setCreating(false); list.reload(); }} />
    </>
  );
}
