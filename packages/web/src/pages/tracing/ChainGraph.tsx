import { SearchOutlined } from '@ant-design/icons';
import type { ClusterSummary, GraphNode } from '@gridline/shared';
import { App, Button, Card, Col, Empty, Flex, Input, List, Row, Space, Tag, Typography } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useNotifyError } from '../../api/hooks';
import { tracingApi } from '../../api/tracing';
import { useIsMobile } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';

const NODE_LIMIT = 1500;
const COLORS = { case: '#cf1322', close: '#fa8c16', secondary: '#fadb14', general: '#1677ff' };
const categoryIndex = (n: GraphNode) => (n.kind === 'case' ? 0 : n.category === 'close' ? 1 : n.category === 'secondary' ? 2 : 3);

/**
 * Transmission chains (this file is its own lazy chunk: ECharts loads only when the tab opens). The server sends
 * cluster summaries first; one cluster's graph is drawn on demand (force layout, progressive rendering), and a
 * search focuses a case or a person in its cluster.
 */
export default function ChainGraph() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | undefined>();
  const [focus, setFocus] = useState<string | undefined>();
  const list = useApi((s) => tracingApi.clusters({ page, pageSize: 10 }, s), [page]);
  const detail = useApi((s) => tracingApi.cluster(openId!, NODE_LIMIT, s), [openId], !!openId);

  const search = async (text: string) => {
    if (!text.trim()) return;
    try {
      const r = await tracingApi.search(text.trim());
      const hit = r.matches[0];
      if (!hit) return void message.info(t('tracing.chains.noMatch'));
      setOpenId(hit.clusterId);
      setFocus(hit.nodeId);
    } catch (err) {
      notifyError(err);
    }
  };

  const option = useMemo(() => {
    const d = detail.data;
    if (!d) return null;
    const categories = (['case', 'close', 'secondary', 'general'] as const).map((k) => ({ name: t(`tracing.chains.legend.${k}`), itemStyle: { color: COLORS[k] } }));
    return {
      tooltip: { formatter: (p: { data?: { name?: string } }) => p.data?.name ?? '' },
      legend: [{ data: categories.map((c) => c.name), bottom: 0 }],
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: d.nodes.length < 400,
          progressive: 300,
          force: { repulsion: d.nodes.length > 300 ? 30 : 120, edgeLength: d.nodes.length > 300 ? 15 : 50, gravity: 0.1 },
          categories,
          label: { show: d.nodes.length <= 60, position: 'right', fontSize: 11 },
          emphasis: { focus: 'adjacency', label: { show: true } },
          lineStyle: { opacity: 0.6, curveness: 0.1 },
          data: d.nodes.map((n) => ({
            id: n.id, name: n.label, category: categoryIndex(n), symbolSize: n.kind === 'case' ? 18 : 8,
            ...(n.id === focus ? { symbolSize: 28, itemStyle: { borderColor: '#000', borderWidth: 3 }, label: { show: true } } : {}),
          })),
          edges: d.edges.map((e) => ({ source: e.source, target: e.target, lineStyle: e.type === 'secondary' ? { type: 'dashed' } : e.type === 'became_case' ? { color: '#cf1322', width: 2 } : {} })),
        },
      ],
    };
  }, [detail.data, focus, t]);

  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data) return <LoadingBlock rows={6} card />;
  const totals = list.data.totals;
  const summary = (c: ClusterSummary) => (
    <Space direction="vertical" size={0} style={{ width: '100%' }}>
      <Space wrap size={4}>
        <Typography.Text strong>{c.caseNos.slice(0, 3).join('、')}{c.cases > 3 ? '…' : ''}</Typography.Text>
        <Tag color="red">{t('tracing.chains.cases')} {c.cases}</Tag>
        <Tag>{t('tracing.chains.contacts')} {c.contacts}</Tag>
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(c.firstAt).slice(0, 10)} – {formatDateTime(c.lastAt).slice(0, 10)}{c.places.length ? ` · ${c.places.join('、')}` : ''}
      </Typography.Text>
    </Space>
  );

  return (
    <Row gutter={[16, 16]} data-testid="chains">
      <Col xs={24} lg={9}>
        <Card size="small" title={t('tracing.chains.clusters')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tracing.chains.totals', totals)}</Typography.Text>}>
          <Input.Search placeholder={t('tracing.chains.search')} enterButton={<SearchOutlined />} onSearch={(v) => void search(v)} allowClear style={{ marginBottom: 8 }} data-testid="chain-search" />
          <List
            size="small"
            dataSource={list.data.items}
            locale={{ emptyText: <Empty description={t('tracing.chains.empty')} /> }}
            pagination={list.data.total > 10 ? { current: page, pageSize: 10, total: list.data.total, onChange: setPage, size: 'small', simple: true } : false}
            renderItem={(c) => (
              <List.Item
                data-testid="cluster-item"
                style={{ cursor: 'pointer', background: c.id === openId ? 'rgba(22,119,255,0.08)' : undefined }}
                onClick={() => { setOpenId(c.id); setFocus(undefined); }}
                actions={[<Button key="open" size="small" type="link" data-testid="cluster-open">{t('tracing.chains.expand')}</Button>]}
              >
                {summary(c)}
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        <Card size="small" title={detail.data ? summary(detail.data.summary) : t('tracing.chains.expand')} data-testid="chain-graph">
          {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} compact /> : null}
          {openId && !detail.data && !detail.error ? <LoadingBlock rows={6} /> : null}
          {!openId ? <Empty description={t('tracing.chains.expand')} /> : null}
          {focus && detail.data ? (
            <Typography.Paragraph style={{ margin: 0 }} data-testid="chain-focus">
              {t('tracing.chains.focused', { label: detail.data.nodes.find((n) => n.id === focus)?.label ?? '' })}
            </Typography.Paragraph>
          ) : null}
          {detail.data?.truncated ? <Typography.Text type="warning">{t('tracing.chains.truncated', { n: NODE_LIMIT })}</Typography.Text> : null}
          {option ? (
            <Flex vertical>
              <ReactECharts option={option} notMerge style={{ height: mobile ? 360 : 520, width: '100%' }} opts={{ renderer: 'canvas' }} />
            </Flex>
          ) : null}
        </Card>
      </Col>
    </Row>
  );
}
