import { FilterOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Flex, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditApi, type AuditEvent, type AuditListQuery, type AuditVerifyResult } from '../../api/endpoints';
import { useApi, useErrorText } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState } from '../../components/states';
import { useRegionNames } from '../../lib/address';
import { useLabels } from '../../lib/labels';
import { formatDateTimeSeconds, shanghaiDayEnd, shanghaiDayStart } from '../../lib/time';

const ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.login_refused', 'auth.logout', 'auth.password_change', 'household.create', 'household.move',
  'region.boundaries', 'region.create', 'region.rename', 'resident.create', 'resident.delete', 'resident.merge', 'resident.self_phone',
  'resident.unmask', 'resident.update', 'user.create', 'user.disable', 'user.reset_password', 'user.update',
];
const ENTITY_TYPES = ['resident', 'household', 'region', 'user'];

interface FilterValues {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  range?: [Dayjs, Dayjs] | null;
}

function VerifyCard() {
  const { t } = useTranslation();
  const { zh } = useLabels();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyResult | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await auditApi.verify());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="audit-verify-card">
      <Flex align="center" justify="space-between" gap={12} wrap="wrap">
        <Typography.Text type="secondary">{t('audit.verifyIntro')}</Typography.Text>
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void verify()} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      </Flex>
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} /> : null}
      {result ? (
        <Alert
          style={{ marginTop: 12 }}
          type={result.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-verify-result"
          title={
            zh
              ? result.message
              : result.ok
                ? t('audit.verifyOk', { checked: result.checked })
                : t('audit.verifyBad', { checked: result.checked, seq: result.firstBadSeq ?? '—', problem: result.problem ? t(`audit.problem.${result.problem}`) : '' })
          }
          description={result.ok ? undefined : t('audit.verifyAdvice')}
        />
      ) : null}
    </Card>
  );
}

/** 审计日志: the hash-chained events under my node, newest first; verifying the chain. */
export default function AuditPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const labels = useLabels();
  const mobile = useIsMobile();
  const [form] = Form.useForm<FilterValues>();
  const [query, setQuery] = useState<AuditListQuery>({ page: 1, pageSize: 20 });
  const [showFilters, setShowFilters] = useState(false);
  const events = useApi((s) => auditApi.events(query, s), [JSON.stringify(query)], can('audit.read'));
  const regionNames = useRegionNames(events.data?.items.map((e) => e.regionCode) ?? [], (room) => t('residents.room', { room }));
  const actionLabel = (a: string) => t(`audit.actions.${a}`, { defaultValue: a });

  const apply = (v: FilterValues) => {
    const q: AuditListQuery = { page: 1, pageSize: query.pageSize };
    if (v.action) q.action = v.action;
    if (v.entityType) q.entityType = v.entityType;
    if (v.entityId?.trim()) q.entityId = v.entityId.trim();
    if (v.actorId?.trim()) q.actorId = v.actorId.trim();
    if (v.range) {
      q.from = shanghaiDayStart(v.range[0]);
      q.to = shanghaiDayEnd(v.range[1]);
    }
    setQuery(q);
  };

  return (
    <PageContainer testId="audit-page" title={t('menu.audit')} subTitle={t('audit.subtitle')}>
      {can('audit.verify') ? <VerifyCard /> : null}
      {!can('audit.read') ? (
        <EmptyState description={t('audit.verifyOnly')} />
      ) : (
        <>
          {mobile ? (
            <Button block icon={<FilterOutlined />} onClick={() => setShowFilters((v) => !v)} style={{ marginBottom: 12 }} data-testid="audit-filters-toggle">
              {showFilters ? t('audit.hideFilters') : t('audit.showFilters')}
            </Button>
          ) : null}
          <Card size="small" style={{ marginBottom: 16, display: mobile && !showFilters ? 'none' : undefined }}>
            <Form form={form} layout="vertical" onFinish={apply} data-testid="audit-filters">
              <Row gutter={12}>
                <Col xs={24} md={12} xl={5}>
                  <Form.Item name="action" label={t('audit.action')}>
                    <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))} placeholder={t('common.all')} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6} xl={4}>
                  <Form.Item name="entityType" label={t('audit.entityType')}>
                    <Select allowClear options={ENTITY_TYPES.map((e) => ({ value: e, label: t(`audit.entity.${e}`) }))} placeholder={t('common.all')} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6} xl={4}>
                  <Form.Item name="entityId" label={t('audit.entityId')}>
                    <Input allowClear maxLength={64} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12} xl={4}>
                  <Form.Item name="actorId" label={t('audit.actorId')}>
                    <Input allowClear maxLength={64} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12} xl={7}>
                  <Form.Item name="range" label={t('audit.range')}>
                    <DatePicker.RangePicker style={{ width: '100%' }} inputReadOnly={mobile} />
                  </Form.Item>
                </Col>
              </Row>
              <Flex gap={8} justify="flex-end">
                <Button
                  onClick={() => {
                    form.resetFields();
                    setQuery({ page: 1, pageSize: query.pageSize });
                  }}
                >
                  {t('common.reset')}
                </Button>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                  {t('common.search')}
                </Button>
              </Flex>
            </Form>
          </Card>
          {events.error ? (
            <ErrorState error={events.error} onRetry={events.reload} />
          ) : (
            <Card styles={{ body: { padding: 0 } }}>
              <Table<AuditEvent>
                rowKey="seq"
                size="middle"
                data-testid="audit-table"
                loading={events.loading}
                dataSource={events.data?.items ?? []}
                scroll={{ x: 1100 }}
                locale={{ emptyText: <EmptyState description={t('audit.empty')} /> }}
                expandable={{
                  rowExpandable: (e) => !!e.diff,
                  expandedRowRender: (e) => (
                    <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(e.diff, null, 2)}</pre>
                  ),
                }}
                pagination={{
                  current: query.page ?? 1,
                  pageSize: query.pageSize ?? 20,
                  total: events.data?.total ?? 0,
                  simple: mobile,
                  showSizeChanger: !mobile,
                  onChange: (p, ps) => setQuery((q) => ({ ...q, page: ps !== q.pageSize ? 1 : p, pageSize: ps })),
                  style: { paddingInline: 16 },
                }}
                columns={[
                  { title: t('audit.seq'), dataIndex: 'seq', width: 80, fixed: 'left' },
                  { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: number) => <span className="nowrap">{formatDateTimeSeconds(v)}</span> },
                  {
                    title: t('audit.actor'),
                    key: 'actor',
                    width: 170,
                    render: (_: unknown, e) =>
                      e.actorName ? (
                        <span>
                          {e.actorName}
                          <br />
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {labels.role(e.actorRole)}
                          </Typography.Text>
                        </span>
                      ) : (
                        <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>
                      ),
                  },
                  {
                    title: t('audit.action'),
                    dataIndex: 'action',
                    width: 150,
                    render: (v: string) => <Tag color={v === 'resident.unmask' ? 'orange' : v.includes('failed') || v.includes('refused') ? 'red' : 'blue'}>{actionLabel(v)}</Tag>,
                  },
                  {
                    title: t('audit.entityCol'),
                    key: 'entity',
                    width: 200,
                    render: (_: unknown, e) => (
                      <span>
                        {t(`audit.entity.${e.entityType}`, { defaultValue: e.entityType })}
                        {e.entityId ? (
                          <Typography.Text type="secondary" copyable={{ text: e.entityId }} style={{ fontSize: 12, display: 'block' }}>
                            {e.entityId.slice(-12)}
                          </Typography.Text>
                        ) : null}
                      </span>
                    ),
                  },
                  { title: t('audit.region'), dataIndex: 'regionCode', width: 180, render: (v: string | null) => (v ? (regionNames.get(v) ?? v) : '—') },
                  { title: t('audit.purpose'), dataIndex: 'purpose', render: (v: string | null) => v ?? '—' },
                ]}
              />
            </Card>
          )}
        </>
      )}
    </PageContainer>
  );
}
