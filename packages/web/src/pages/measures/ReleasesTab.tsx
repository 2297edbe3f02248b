import { CheckCircleOutlined, ExclamationCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { shanghaiDay } from '@gridline/shared';
import { Alert, App, Button, Card, Checkbox, Flex, Input, Modal, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useErrorText, useJob } from '../../api/hooks';
import { measureLifecycleApi, type BulkReleaseResult, type ReleaseProposal } from '../../api/measures-lifecycle';
import { useAuth } from '../../auth/AuthContext';
import { JobProgress } from '../../components/JobProgress';
import { useIsMobile } from '../../components/PageContainer';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { DeliveryModal } from './DeliveriesSection';

type Result = BulkReleaseResult['results'][number];

/**
 * 待解除: person measures whose last day is today or past, with the release conditions of the version at their start.
 * Select → 解除 (those whose conditions do not hold only with a written reason) → 生成解除证明 and 记录送达 for the
 * ones just released. A measure that needs more time leads to the drawer's extension (须审批).
 */
/** `refreshKey` changes when the page's measures changed (an extension in the drawer): the list is read again. */
export function ReleasesTab(props: { refreshKey: number; onMeasure: (id: string) => void; onReleased: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [refresh, setRefresh] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [results, setResults] = useState<Record<string, Result>>({});
  const [released, setReleased] = useState<string[]>([]);
  const [asking, setAsking] = useState(false);
  const [override, setOverride] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | undefined>();
  const [delivering, setDelivering] = useState(false);
  const { job } = useJob(jobId);
  const list = useApi((s) => measureLifecycleApi.releases({ pageSize: 200 }, s), [refresh, props.refreshKey]);
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  const writable = can('measure.write');
  const selectable = (p: ReleaseProposal) => writable && !results[p.id]?.released;
  const open = rows.filter(selectable);
  const unmetSelected = rows.filter((p) => selected.includes(p.id) && !p.met);

  const reload = () => {
    setResults({});
    setSelected([]);
    setReleased([]);
    setJobId(undefined);
    setRefresh((n) => n + 1);
  };

  const release = async (reason?: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await measureLifecycleApi.release({ measureIds: selected, ...(reason ? { overrideReason: reason } : {}) });
      setResults((prev) => ({ ...prev, ...Object.fromEntries(r.results.map((x) => [x.id, x])) }));
      setReleased(r.results.filter((x) => x.released).map((x) => x.id));
      setJobId(undefined);
      setSelected([]);
      setAsking(false);
      setOverride('');
      message.success(t('measures.lifecycle.releasedCount', { count: r.released }));
      props.onReleased();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const certificates = async (format: 'pdf' | 'docx') => {
    setError(null);
    try {
      setJobId((await measureLifecycleApi.documents({ measureIds: released, document: 'release', format })).id);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const verdict = (p: ReleaseProposal) => {
    const r = results[p.id];
    if (r) {
      return r.released ? (
        <Tag color="green" icon={<CheckCircleOutlined />} data-testid="release-result">{t('measures.lifecycle.released')}</Tag>
      ) : (
        <Typography.Text type="danger" style={{ fontSize: 13 }} data-testid="release-result">{r.problem}</Typography.Text>
      );
    }
    return (
      <Flex vertical gap={4} align="start">
        <Tag color={p.met ? 'green' : 'red'} icon={p.met ? <CheckCircleOutlined /> : <ExclamationCircleOutlined />} style={{ whiteSpace: 'normal' }} data-testid="release-verdict">
          {p.summary}
        </Tag>
        {!p.met && p.extendable && writable ? (
          <Button size="small" onClick={() => props.onMeasure(p.id)} data-testid="release-extend">{t('measures.lifecycle.needsExtension')}</Button>
        ) : null}
      </Flex>
    );
  };
  const due = (p: ReleaseProposal) => (
    <span>
      {list.data && p.dueDay === shanghaiDay(list.data.at) ? t('measures.lifecycle.dueToday') : t('measures.lifecycle.dueOn', { date: t('measures.lifecycle.monthDay', { m: Number(p.dueDay.slice(5, 7)), d: Number(p.dueDay.slice(8, 10)) }) })}
      {p.overdue ? <Tag color="orange" style={{ marginInlineStart: 6 }}>{t('measures.lifecycle.overdue')}</Tag> : null}
    </span>
  );
  const who = (p: ReleaseProposal) => (
    <Button type="link" style={{ padding: 0, fontWeight: 600, fontSize: 15 }} onClick={() => props.onMeasure(p.id)}>{p.resident.name}</Button>
  );

  const toolbar = (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Flex gap={12} align="center" wrap="wrap">
        {mobile && writable ? (
          <Checkbox
            checked={open.length > 0 && selected.length === open.length}
            indeterminate={selected.length > 0 && selected.length < open.length}
            disabled={!open.length}
            onChange={(e) => setSelected(e.target.checked ? open.map((p) => p.id) : [])}
            data-testid="releases-select-all"
          >
            {t('measures.lifecycle.selectAll')}
          </Checkbox>
        ) : null}
        <Typography.Text type="secondary">{t('measures.lifecycle.count', { total: list.data?.total ?? 0, met: rows.filter((p) => p.met).length })}</Typography.Text>
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={reload} aria-label={t('common.refresh')} />
          {writable ? (
            <Button type="primary" disabled={!selected.length} loading={busy} onClick={() => (unmetSelected.length ? setAsking(true) : void release())} data-testid="releases-release">
              {t('measures.lifecycle.release', { count: selected.length })}
            </Button>
          ) : null}
        </Flex>
      </Flex>
    </Card>
  );

  const done = released.length ? (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="releases-done"
      title={t('measures.lifecycle.releasedCount', { count: released.length })}
      description={
        <Flex vertical gap={8}>
          <Flex gap={8} wrap>
            <Button type="primary" onClick={() => void certificates('pdf')} data-testid="releases-certificates">{t('measures.lifecycle.certificates')}</Button>
            <Button onClick={() => void certificates('docx')}>{t('measures.lifecycle.certificatesDocx')}</Button>
            <Button onClick={() => setDelivering(true)} data-testid="releases-deliver">{t('measures.lifecycle.recordDeliveryShort')}</Button>
          </Flex>
          {job ? <JobProgress job={job} downloadLabel={t('measures.lifecycle.download')} /> : null}
        </Flex>
      }
    />
  ) : null;

  return (
    <div data-testid="releases-tab">
      <Typography.Paragraph type="secondary">{t('measures.lifecycle.subtitle')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      {done}
      {toolbar}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {!list.error && !list.data ? <LoadingBlock rows={5} card /> : null}
      {list.data && rows.length === 0 ? <EmptyState description={t('measures.lifecycle.empty')} /> : null}
      {rows.length > 0 && mobile ? (
        <Flex vertical gap={10} data-testid="releases-cards">
          {rows.map((p) => (
            <Card key={p.id} size="small" data-testid="release-card">
              <Flex gap={10} align="start">
                {writable ? (
                  <Checkbox checked={selected.includes(p.id)} disabled={!selectable(p)} onChange={(e) => setSelected((s) => (e.target.checked ? [...s, p.id] : s.filter((x) => x !== p.id)))} aria-label={p.resident.name} style={{ paddingTop: 4 }} />
                ) : null}
                <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
                  <Flex justify="space-between" gap={8}>{who(p)}<Typography.Text type="secondary">{t(`measures.kind.${p.kind}`)}</Typography.Text></Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>{due(p)}</Typography.Text>
                  {verdict(p)}
                </Flex>
              </Flex>
            </Card>
          ))}
        </Flex>
      ) : null}
      {rows.length > 0 && !mobile ? (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<ReleaseProposal>
            rowKey="id"
            dataSource={rows}
            pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            data-testid="releases-table"
            {...(writable ? { rowSelection: { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (p: ReleaseProposal) => ({ disabled: !selectable(p), 'aria-label': p.resident.name }) } } : {})}
            columns={[
              { title: t('measures.fields.person'), key: 'who', render: (_: unknown, p) => who(p) },
              { title: t('measures.fields.measure'), key: 'kind', render: (_: unknown, p) => t(`measures.kind.${p.kind}`) },
              { title: t('measures.lifecycle.due'), key: 'due', render: (_: unknown, p) => due(p) },
              { title: t('measures.lifecycle.conditions'), key: 'verdict', width: 320, render: (_: unknown, p) => verdict(p) },
              { title: t('measures.fields.protocol'), key: 'protocol', render: (_: unknown, p) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.protocol.name}</Typography.Text> },
            ]}
          />
        </Card>
      ) : null}
      <Modal
        open={asking}
        onCancel={() => setAsking(false)}
        title={t('measures.lifecycle.overrideTitle', { count: unmetSelected.length })}
        okText={t('measures.lifecycle.overrideOk')}
        okButtonProps={{ danger: true, disabled: override.trim().length < 4, 'data-testid': 'releases-override-ok' }}
        confirmLoading={busy}
        onOk={() => void release(override.trim())}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          {unmetSelected.map((p) => (
            <Typography.Text key={p.id}>{p.resident.name}：{p.summary}</Typography.Text>
          ))}
          <Typography.Text type="secondary">{t('measures.lifecycle.overrideHint')}</Typography.Text>
          <Input.TextArea rows={3} maxLength={500} value={override} onChange={(e) => setOverride(e.target.value)} placeholder={t('measures.lifecycle.overridePlaceholder')} data-testid="releases-override" />
        </Flex>
      </Modal>
      <DeliveryModal open={delivering} measureIds={released} documents={['release', 'notice']} onClose={() => setDelivering(false)} onDone={() => setDelivering(false)} />
    </div>
  );
}
