import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Flex, Input, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText } from '../../api/hooks';
import { measureProposalsApi, type ImposeProposalsResult, type MeasureProposal } from '../../api/measure-proposals';
import { measureSitesApi } from '../../api/measure-sites';
import { SiteSelect } from './SiteSelect';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';

type Result = ImposeProposalsResult['results'][number];
const OUTCOME = {
  accepted: { color: 'green', icon: <CheckCircleOutlined /> },
  pending: { color: 'gold', icon: <ClockCircleOutlined /> },
  refused: { color: 'red', icon: <CloseCircleOutlined /> },
} as const;

/**
 * 待采取措施: confirmed contacts with what the protocol at their exposure prescribes; select (all) and impose in bulk.
 * Results stay on their rows until the list is refreshed, so the worker sees what each contact got and why.
 */
const PHONE_PAGE = 30;

export function ProposalsTab(props: { caseId?: string; onClearCase: () => void; onMeasure: (id: string) => void; onImposed: () => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [refresh, setRefresh] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [sites, setSites] = useState<Record<string, string>>({});
  const [siteIds, setSiteIds] = useState<Record<string, string>>({});
  // Designated sites with free places: where they exist, each centralized isolation chooses one (full ones disabled).
  const siteList = useApi((s) => measureSitesApi.list(false, s), [refresh]).data?.items ?? [];
  const [results, setResults] = useState<Record<string, Result>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A phone renders a case's contacts a page at a time: a cluster can bring thousands of cards.
  const [shown, setShown] = useState(PHONE_PAGE);
  const list = useApi((s) => measureProposalsApi.list({ caseId: props.caseId }, s), [props.caseId, refresh]);
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  const selectable = (p: MeasureProposal) => p.blocked === null && (!results[p.contactId] || results[p.contactId]!.outcome === 'refused');
  const open = rows.filter(selectable);

  const reload = () => {
    setResults({});
    setSelected([]);
    setRefresh((n) => n + 1);
  };

  const impose = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await measureProposalsApi.impose({
        items: selected.map((contactId) => ({ contactId, ...(siteIds[contactId] ? { siteId: siteIds[contactId] } : sites[contactId]?.trim() ? { siteName: sites[contactId]!.trim() } : {}) })),
      });
      setResults((prev) => ({ ...prev, ...Object.fromEntries(r.results.map((x) => [x.contactId, x])) }));
      setSelected([]);
      message.success(t('measures.proposals.done', { accepted: r.accepted, pending: r.pending, refused: r.refused }));
      props.onImposed();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const who = (p: MeasureProposal) => (
    <span>
      <Typography.Text strong>{p.personName}</Typography.Text>{' '}
      <Tag>{t(`measures.proposals.category.${p.category}`)}</Tag>
    </span>
  );
  /** The prescribed measure; on the desktop table also the protocol version it follows (long names cut, full on hover). */
  const what = (p: MeasureProposal, withProtocol = false) => (
    <Flex vertical gap={2} data-testid="proposal-measure">
      {p.measure ? (
        <span>
          <Typography.Text strong>{t(`measures.kind.${p.measure.kind}`)} {t('measures.proposals.days', { days: p.measure.days })}</Typography.Text>
          {p.measure.approval !== 'community' ? <Tag color="blue" style={{ marginInlineStart: 6 }}>{t('measures.proposals.needs', { level: t(`measures.approval.${p.measure.approval}`) })}</Tag> : null}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('measures.proposals.range', { from: p.measure.firstDay, to: p.measure.lastDay })}</Typography.Text>
        </span>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      )}
      {withProtocol ? (
        <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 260 }} ellipsis={{ tooltip: p.protocol.name }}>{t('measures.proposals.protocol', { name: p.protocol.name })}</Typography.Text>
      ) : null}
    </Flex>
  );
  const site = (p: MeasureProposal) =>
    p.measure?.place === 'site' && selectable(p) && siteList.length ? (
      <SiteSelect sites={siteList} size="small" value={siteIds[p.contactId]} onChange={(id) => setSiteIds((x) => ({ ...x, [p.contactId]: id }))} testId="proposal-site-select" style={{ minWidth: 200 }} />
    ) : p.measure?.place === 'site' && selectable(p) ? (
      <Input size="small" maxLength={100} placeholder={t('measures.proposals.sitePlaceholder')} value={sites[p.contactId] ?? ''} onChange={(e) => setSites((s) => ({ ...s, [p.contactId]: e.target.value }))} style={{ minWidth: 160 }} aria-label={t('measures.proposals.site')} data-testid="proposal-site" />
    ) : p.measure ? (
      t(`measures.proposals.place.${p.measure.place}`)
    ) : null;
  const outcome = (p: MeasureProposal) => {
    const r = results[p.contactId];
    if (r) {
      return (
        <Flex vertical gap={2} data-testid="proposal-result">
          <span>
            <Tag color={OUTCOME[r.outcome].color} icon={OUTCOME[r.outcome].icon}>{t(`measures.proposals.outcome.${r.outcome}`)}</Tag>
            {r.measureId ? <Button type="link" size="small" onClick={() => props.onMeasure(r.measureId!)} style={{ padding: 0 }}>{t('measures.proposals.view')}</Button> : null}
          </span>
          <Typography.Text type={r.outcome === 'refused' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>{r.message}</Typography.Text>
        </Flex>
      );
    }
    return p.note ? <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="proposal-note">{p.note}</Typography.Text> : null;
  };

  const toolbar = (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Flex gap={12} align="center" wrap="wrap">
        {mobile ? (
          <Checkbox
            checked={open.length > 0 && selected.length === open.length}
            indeterminate={selected.length > 0 && selected.length < open.length}
            disabled={!open.length}
            onChange={(e) => setSelected(e.target.checked ? open.map((p) => p.contactId) : [])}
            data-testid="proposals-select-all"
          >
            {t('measures.proposals.selectAll')}
          </Checkbox>
        ) : null}
        {props.caseId ? (
          <Tag closable onClose={props.onClearCase} color="purple" data-testid="proposals-case-filter">{t('measures.proposals.caseFilter')}</Tag>
        ) : null}
        <Typography.Text type="secondary">{t('measures.proposals.count', { open: open.length, total: rows.length })}</Typography.Text>
        {/* On a phone the action takes a row of its own, wide enough to hit with a thumb. */}
        <Flex gap={8} style={mobile ? { width: '100%' } : { marginLeft: 'auto' }}>
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={reload} aria-label={t('common.refresh')} />
          <Button type="primary" disabled={!selected.length} loading={busy} onClick={() => void impose()} style={mobile ? { flex: 1 } : undefined} data-testid="proposals-impose">
            {t('measures.proposals.impose', { count: selected.length })}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );

  return (
    <div data-testid="proposals-tab">
      <Typography.Paragraph type="secondary">{t('measures.proposals.subtitle')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      {toolbar}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={5} card /> : null}
      {list.data && rows.length === 0 ? <EmptyState description={t('measures.proposals.empty')} /> : null}
      {rows.length > 0 && mobile ? (
        <Flex vertical gap={10} data-testid="proposals-cards">
          {rows.slice(0, shown).map((p) => (
            <Card key={p.contactId} size="small" data-testid="proposal-card">
              <Flex gap={10} align="start">
                <Checkbox
                  checked={selected.includes(p.contactId)}
                  disabled={!selectable(p)}
                  onChange={(e) => setSelected((s) => (e.target.checked ? [...s, p.contactId] : s.filter((x) => x !== p.contactId)))}
                  aria-label={p.personName}
                  style={{ paddingTop: 2 }}
                />
                <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
                  {who(p)}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('measures.proposals.exposure', { at: formatDateTime(p.exposureAt), caseNo: p.caseNo })}</Typography.Text>
                  {what(p, true)}
                  {p.measure?.place === 'site' && selectable(p) ? site(p) : null}
                  {outcome(p)}
                </Flex>
              </Flex>
            </Card>
          ))}
          {rows.length > shown ? (
            <Button size="large" block onClick={() => setShown((n) => n + PHONE_PAGE)} data-testid="proposals-more">
              {t('measures.proposals.showMore', { count: Math.min(PHONE_PAGE, rows.length - shown), total: rows.length })}
            </Button>
          ) : null}
        </Flex>
      ) : null}
      {rows.length > 0 && !mobile ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<MeasureProposal>
            rowKey="contactId"
            dataSource={rows}
            pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            data-testid="proposals-table"
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys as string[]),
              getCheckboxProps: (p) => ({ disabled: !selectable(p), 'aria-label': p.personName }),
            }}
            columns={[
              { title: t('measures.fields.person'), key: 'who', render: (_: unknown, p) => who(p) },
              { title: t('measures.proposals.exposureCol'), key: 'exposure', render: (_: unknown, p) => <span>{formatDateTime(p.exposureAt)}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.caseNo}</Typography.Text></span> },
              { title: t('measures.proposals.measureCol'), key: 'measure', render: (_: unknown, p) => what(p, true) },
              { title: t('measures.fields.place'), key: 'site', render: (_: unknown, p) => site(p) },
              { title: t('measures.proposals.resultCol'), key: 'result', render: (_: unknown, p) => <div style={{ minWidth: 220, maxWidth: 340 }}>{outcome(p)}</div> },
            ]}
          />
        </Card>
      ) : null}
    </div>
  );
}
