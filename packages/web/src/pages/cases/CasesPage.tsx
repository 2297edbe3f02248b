import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { CASE_CLASSIFICATIONS, CASE_STATUSES, type CaseClassification, type CaseStatus, type CaseView } from '@gridline/shared';
import { Button, Card, Col, Flex, Input, Pagination, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { casesApi } from '../../api/cases';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { CaseForm } from './CaseForm';
import { CLASSIFICATION_COLORS, useCaseLabels } from './caseLabels';

/** 病例: cases under my node (open first, newest first) with counts; filters by classification, status, node, text; report a case. */
export default function CasesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const labels = useCaseLabels();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const node = sp.get('node') ?? undefined;
  const classification = (sp.get('classification') ?? undefined) as CaseClassification | undefined;
  const status = (sp.get('status') ?? undefined) as CaseStatus | undefined;
  const q = sp.get('q') ?? undefined;
  const [page, setPage] = useState(1);
  const [refresh, setRefresh] = useState(0);
  const [creating, setCreating] = useState(false);
  const list = useApi((s) => casesApi.list({ node, classification, status, q, page, pageSize: 20 }, s), [node, classification, status, q, page, refresh]);
  const set = (key: string, value: string | undefined) => {
    setPage(1);
    setSp((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  };
  const open = (c: CaseView) => navigate(`/cases/${c.id}`);
  const classTag = (c: CaseView) => (
    <Tag color={c.status === 'closed' ? undefined : CLASSIFICATION_COLORS[c.classification]} style={{ marginInlineEnd: 0 }}>
      {labels.classification(c.classification)}
    </Tag>
  );
  const statusText = (c: CaseView) => (c.status === 'closed' ? `${labels.status('closed')}·${labels.outcome(c.outcome)}` : labels.status('open'));
  const counts = list.data?.counts;

  return (
    <PageContainer
      testId="cases-page"
      title={t('cases.title')}
      subTitle={t('cases.subtitle')}
      extra={
        <>
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => setRefresh((n) => n + 1)} aria-label={t('common.refresh')} />
          {can('case.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="case-create">
              {t('cases.create')}
            </Button>
          ) : null}
        </>
      }
    >
      <Row gutter={mobile ? [8, 8] : [12, 12]} style={{ marginBottom: 12 }}>
        {(['open', 'confirmed', 'suspected', 'asymptomatic', 'confirmedToday'] as const).map((k) => (
          <Col key={k} xs={8} sm={8} md={4} flex={mobile ? undefined : 1}>
            <Card size="small" styles={mobile ? { body: { padding: '6px 10px' } } : undefined}>
              <Statistic
                title={<span style={mobile ? { fontSize: 12 } : undefined}>{t(`cases.counts.${k}`)}</span>}
                value={counts ? counts[k] : '—'}
                valueStyle={{ fontSize: mobile ? 18 : undefined, color: k === 'confirmedToday' && counts?.confirmedToday ? '#cf1322' : undefined }}
                data-testid={`case-count-${k}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Flex gap={8} wrap="wrap" style={{ marginBottom: 12 }}>
        <Input.Search allowClear defaultValue={q} placeholder={t('cases.searchPlaceholder')} onSearch={(v) => set('q', v.trim() || undefined)} style={{ width: mobile ? '100%' : 240 }} data-testid="case-search" />
        <Select allowClear value={classification} onChange={(v?: string) => set('classification', v)} placeholder={t('cases.anyClassification')} style={{ width: 150 }} options={CASE_CLASSIFICATIONS.map((c) => ({ value: c, label: labels.classification(c) }))} />
        <Select allowClear value={status} onChange={(v?: string) => set('status', v)} placeholder={t('cases.anyStatus')} style={{ width: 120 }} options={CASE_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))} />
        <RegionPicker value={node} onChange={(c) => set('node', c)} maxLevel="grid" placeholder={t('health.allUnderMe')} style={{ width: mobile ? '100%' : 200 }} />
      </Flex>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={6} card /> : null}
      {list.data && list.data.total === 0 ? <EmptyState description={t('cases.empty')} /> : null}
      {list.data && list.data.total > 0 && mobile ? (
        <Flex vertical gap={10} data-testid="cases-cards">
          {list.data.items.map((c) => (
            <Card key={c.id} size="small" hoverable onClick={() => open(c)} data-testid="case-row">
              <Flex justify="space-between" gap={8} align="center">
                <Typography.Text strong style={{ fontSize: 16 }}>{c.personName}</Typography.Text>
                {classTag(c)}
              </Flex>
              <Typography.Text type="secondary" style={{ display: 'block' }}>
                {c.caseNo} · {statusText(c)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.regionName}
                {c.confirmedAt ? ` · ${t('cases.confirmedAtShort', { at: formatDateTime(c.confirmedAt) })}` : ''}
              </Typography.Text>
            </Card>
          ))}
          <Pagination simple align="center" current={page} pageSize={20} total={list.data.total} onChange={setPage} hideOnSinglePage />
        </Flex>
      ) : null}
      {list.data && list.data.total > 0 && !mobile ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<CaseView>
            rowKey="id"
            dataSource={list.data.items}
            pagination={{ current: page, pageSize: 20, total: list.data.total, onChange: setPage, hideOnSinglePage: true }}
            onRow={(c) => ({ onClick: () => open(c), style: { cursor: 'pointer' }, 'data-testid': 'case-row' }) as never}
            scroll={{ x: 'max-content' }}
            data-testid="cases-table"
            columns={[
              { title: t('cases.fields.caseNo'), dataIndex: 'caseNo', key: 'no', width: 160 },
              { title: t('fields.name'), key: 'name', render: (_: unknown, c) => <Typography.Text strong>{c.personName}</Typography.Text> },
              { title: t('cases.fields.classification'), key: 'class', render: (_: unknown, c) => classTag(c) },
              { title: t('cases.fields.status'), key: 'status', render: (_: unknown, c) => statusText(c) },
              { title: t('cases.fields.region'), dataIndex: 'regionName', key: 'region' },
              { title: t('cases.fields.onsetDate'), key: 'onset', render: (_: unknown, c) => c.onsetDate ?? '—' },
              { title: t('cases.fields.confirmedAt'), key: 'confirmed', render: (_: unknown, c) => (c.confirmedAt ? formatDateTime(c.confirmedAt) : '—') },
              { title: t('cases.fields.reportSource'), key: 'source', render: (_: unknown, c) => t(`cases.sources.${c.reportSource}`, { defaultValue: c.reportSource }) },
            ]}
          />
        </Card>
      ) : null}
      <CaseForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          setRefresh((n) => n + 1);
          navigate(`/cases/${c.id}`);
        }}
      />
    </PageContainer>
  );
}
