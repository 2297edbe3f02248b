import { BranchesOutlined, PlusOutlined } from '@ant-design/icons';
import { PROTOCOL_GROUP_LABELS, PROTOCOL_GROUPS, type ProtocolVersionSummary } from '@gridline/shared';
import { App, Button, Card, Col, Descriptions, Empty, Flex, List, Row, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { protocolApi } from '../../api/protocol';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { formatDateTime } from '../../lib/time';
import { DiffTable } from './DiffTable';
import { NewVersionDrawer } from './NewVersionDrawer';

function VersionTags({ v }: { v: ProtocolVersionSummary }) {
  const { t } = useTranslation();
  return (
    <>
      {v.inForce ? <Tag color="green" data-testid="protocol-in-force">{t('protocol.inForce')}</Tag> : null}
      {v.upcoming ? <Tag color="blue">{t('protocol.upcoming')}</Tag> : null}
      {v.basedOn ? <Tag icon={<BranchesOutlined />}>{t('protocol.edited')}</Tag> : <Tag>{t('protocol.builtIn')}</Tag>}
    </>
  );
}

/** 防控方案: every version (the one in force today marked), one version's values by group with their sources, its changes, a new version. */
export default function ProtocolPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const labels = useLabels();
  const navigate = useNavigate();
  const params = useParams<{ id?: string }>();
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => protocolApi.list(s), []);
  const selectedId = params.id ?? list.data?.inForceId;
  const detail = useApi((s) => protocolApi.get(selectedId!, s), [selectedId], !!selectedId);
  const d = detail.data?.version.id === selectedId ? detail.data : undefined;

  const versions = (
    <Card title={t('protocol.versions')} styles={{ body: { padding: 0 } }} size="small">
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
      {!list.data && !list.error ? <LoadingBlock rows={4} /> : null}
      {list.data ? (
        <List
          dataSource={list.data.items}
          data-testid="protocol-versions"
          renderItem={(v) => (
            <List.Item
              key={v.id}
              onClick={() => navigate(`/protocol/${v.id}`)}
              style={{ cursor: 'pointer', padding: '10px 14px', background: v.id === selectedId ? 'var(--ant-color-primary-bg, #e6f4ff)' : undefined }}
              data-testid="protocol-version"
              data-id={v.id}
            >
              <div style={{ minWidth: 0, width: '100%' }}>
                <Typography.Text strong ellipsis={{ tooltip: v.name }} style={{ display: 'block' }}>{v.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('protocol.effectiveOn', { date: v.effectiveFrom })} · {v.document}
                </Typography.Text>
                <div style={{ marginTop: 4 }}>
                  <VersionTags v={v} />
                </div>
              </div>
            </List.Item>
          )}
        />
      ) : null}
    </Card>
  );

  const values = d
    ? PROTOCOL_GROUPS.map((g) => {
        const fields = d.fields.filter((f) => f.group === g);
        const sources = [...new Set(fields.map((f) => f.sourceKey))].map((k) => ({ key: k, text: d.values.sources[k] ?? '' })).filter((s) => s.text);
        return (
          <Card key={g} size="small" title={labels.options(PROTOCOL_GROUP_LABELS, [g])[0]!.label} style={{ marginBottom: 12 }} data-testid={`protocol-group-${g}`}>
            {fields.length ? (
              <Descriptions size="small" column={mobile ? 1 : 2} items={fields.map((f) => ({ key: f.path, label: f.label, children: <span data-testid="protocol-value" data-path={f.path}>{f.text}</span> }))} />
            ) : (
              <Typography.Text type="secondary">{t('protocol.noValues')}</Typography.Text>
            )}
            {sources.map((s) => (
              <Typography.Paragraph key={s.key} type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
                {t('protocol.source')}：{s.text}
              </Typography.Paragraph>
            ))}
          </Card>
        );
      })
    : null;

  const detailCard = (
    <Card size="small" data-testid="protocol-detail">
      {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}
      {!d && !detail.error ? <LoadingBlock rows={8} /> : null}
      {d ? (
        <>
          <Flex justify="space-between" align="flex-start" gap={12} wrap="wrap" style={{ marginBottom: 12 }}>
            <div style={{ minWidth: 0, flex: 1 }}>
              <Typography.Title level={5} style={{ margin: 0 }} data-testid="protocol-detail-name">{d.version.name}</Typography.Title>
              <Typography.Text type="secondary">
                {d.version.document} · {t('protocol.effectiveOn', { date: d.version.effectiveFrom })}
                {d.version.basedOn ? ` · ${t('protocol.basedOn', { id: list.data?.items.find((x) => x.id === d.version.basedOn)?.name ?? d.version.basedOn })}` : ''}
                {d.version.basedOn ? ` · ${d.version.createdBy} ${formatDateTime(d.version.createdAt)}` : ''}
              </Typography.Text>
              <div style={{ marginTop: 6 }}>
                <VersionTags v={d.version} />
              </div>
              {d.version.note ? <Typography.Paragraph style={{ margin: '6px 0 0' }}>{d.version.note}</Typography.Paragraph> : null}
            </div>
            {can('protocol.manage') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="protocol-new" block={mobile}>
                {t('protocol.newFrom')}
              </Button>
            ) : null}
          </Flex>
          <Tabs
            items={[
              { key: 'values', label: t('protocol.tabs.values'), children: values },
              {
                key: 'diff',
                label: d.diff.from ? t('protocol.tabs.diff', { count: d.diff.changes.length }) : t('protocol.tabs.diffNone'),
                children: d.diff.from ? (
                  <>
                    <Typography.Paragraph type="secondary">{t('protocol.diffAgainst', { name: d.diff.from.name, date: d.diff.from.effectiveFrom })}</Typography.Paragraph>
                    <DiffTable changes={d.diff.changes} empty={t('protocol.noChanges')} testId="protocol-diff" />
                  </>
                ) : (
                  <Empty description={t('protocol.firstVersion')} />
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );

  return (
    <PageContainer testId="protocol-page" title={t('protocol.title')} subTitle={list.data ? t('protocol.subtitle', { today: list.data.today }) : t('protocol.subtitleShort')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          {versions}
        </Col>
        <Col xs={24} lg={16}>
          {detailCard}
        </Col>
      </Row>
      <NewVersionDrawer
        base={d}
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(saved) => {
          setCreating(false);
          void message.success(t('protocol.saved', { date: saved.version.effectiveFrom }));
          list.reload();
          navigate(`/protocol/${saved.version.id}`);
        }}
      />
    </PageContainer>
  );
}
