import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, ExperimentOutlined, InboxOutlined, RedoOutlined, RocketOutlined } from '@ant-design/icons';
import { IMPORT_FIELDS, IMPORT_REQUIRED_FIELDS, type ImportField, type ImportMapping } from '@gridline/shared';
import { Alert, App, Button, Card, Flex, Progress, Radio, Select, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { importsApi, jobsApi, type ImportAnalysis } from '../../api/endpoints';
import { isJobDone, useErrorText, useJob } from '../../api/hooks';
import { JobProgress } from '../../components/JobProgress';
import { useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { NotAvailable } from '../../components/states';
import { session } from '../../lib/storage';
import { ImportResultView, importResultOf } from './ImportResultView';

/**
 * Fields a row cannot do without. The server reports the ones no column maps to (`missingFields`);
 * these are highlighted as well so that un-mapping one is caught before the run.
 */
const BASE_REQUIRED: readonly ImportField[] = IMPORT_REQUIRED_FIELDS;

interface WizardState {
  analysis: ImportAnalysis;
  mapping: ImportMapping;
  node?: string | undefined;
  onExisting: 'update' | 'skip';
  step: number;
  dryJobId?: string | undefined;
  runJobId?: string | undefined;
}

const KEY = 'gridline.import';
const STEP_KEYS = ['upload', 'mapping', 'options', 'dryRun', 'run'] as const;

/** Upload → map columns → options → dry run → import; the state survives a page reload (the jobs live on the server). */
export function ImportWizard({ onJobStarted }: { onJobStarted: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [state, setState] = useState<WizardState | undefined>(() => session.get<WizardState>(KEY) ?? undefined);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | undefined>(undefined);
  const [unavailable, setUnavailable] = useState(false);
  const [starting, setStarting] = useState(false);
  const [runError, setRunError] = useState<string | undefined>(undefined);
  const dry = useJob(state?.dryJobId);
  const run = useJob(state?.runJobId);

  useEffect(() => {
    if (state) session.set(KEY, state);
    else session.remove(KEY);
  }, [state]);

  const patch = (p: Partial<WizardState>) => setState((s) => (s ? { ...s, ...p } : s));
  const step = state?.step ?? 0;

  const required = useMemo(() => new Set<ImportField>([...BASE_REQUIRED, ...(state?.analysis.missingFields ?? [])]), [state?.analysis]);
  const mapped = useMemo(() => new Set(Object.values(state?.mapping ?? {}).filter((v): v is ImportField => !!v)), [state?.mapping]);
  const missing = [...required].filter((f) => !mapped.has(f));
  const duplicates = useMemo(() => {
    const seen = new Map<string, number>();
    for (const v of Object.values(state?.mapping ?? {})) if (v) seen.set(v, (seen.get(v) ?? 0) + 1);
    return new Set([...seen.entries()].filter(([, n]) => n > 1).map(([k]) => k));
  }, [state?.mapping]);

  const upload = async (file: File) => {
    setUploading(true);
    setUploadError(undefined);
    try {
      const analysis = await importsApi.upload(file);
      setState({ analysis, mapping: { ...analysis.mapping }, onExisting: 'update', step: 1 });
    } catch (err) {
      const e = toApiError(err);
      if (e.notAvailable && e.code === 'GRIDLINE_NOT_FOUND') setUnavailable(true);
      else setUploadError(errorText(e));
    } finally {
      setUploading(false);
    }
  };

  const start = async (dryRun: boolean) => {
    if (!state) return;
    setStarting(true);
    setRunError(undefined);
    try {
      const job = await importsApi.run(state.analysis.id, { mapping: state.mapping, dryRun, onExisting: state.onExisting, ...(state.node ? { node: state.node } : {}) });
      if (dryRun) {
        dry.setJob(job);
        patch({ dryJobId: job.id, runJobId: undefined, step: 3 });
      } else {
        run.setJob(job);
        patch({ runJobId: job.id, step: 4 });
        void message.info(t('import.started'));
      }
      onJobStarted();
    } catch (err) {
      const e = toApiError(err);
      setRunError([errorText(e), ...e.fields.map((f) => f.message)].join(' '));
    } finally {
      setStarting(false);
    }
  };

  const reset = () => {
    setState(undefined);
    setRunError(undefined);
    setUploadError(undefined);
  };

  if (unavailable) return <NotAvailable what={t('import.title')} extra={<Button onClick={() => setUnavailable(false)}>{t('common.back')}</Button>} />;

  const fieldOptions = [
    { value: '__ignore', label: t('import.ignore') },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: `${t(`fields.${f}`)}${required.has(f) ? ' *' : ''}` })),
  ];

  const stepUpload = (
    <div data-testid="import-step-upload">
      <Upload.Dragger
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        maxCount={1}
        showUploadList={false}
        disabled={uploading}
        beforeUpload={(f) => {
          void upload(f);
          return false;
        }}
        data-testid="import-upload"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{uploading ? t('import.analyzing') : t('import.drop')}</p>
        <p className="ant-upload-hint">{t('import.dropHint')}</p>
      </Upload.Dragger>
      {uploadError ? <Alert type="error" showIcon title={uploadError} style={{ marginTop: 12 }} /> : null}
    </div>
  );

  const a = state?.analysis;
  const sampleOf = (col: number) =>
    (a?.sample ?? [])
      .slice(0, 3)
      .map((r) => r[col] ?? '')
      .filter(Boolean)
      .join(t('common.listSep'));
  const stepMapping = a ? (
    <div data-testid="import-step-mapping">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t('import.fileSummary', { name: a.fileName, rows: a.rowCount, format: a.format === 'csv' ? `CSV · ${a.encoding.toUpperCase()}` : 'XLSX' })}
      />
      <Card size="small" style={{ marginBottom: 12 }} title={t('import.requiredTitle')}>
        <Flex gap={6} wrap="wrap" data-testid="import-required">
          {[...required].map((f) =>
            mapped.has(f) ? (
              <Tag key={f} color="success" icon={<CheckCircleFilled />}>
                {t(`fields.${f}`)}
              </Tag>
            ) : (
              <Tag key={f} color="error" icon={<CloseCircleFilled />} data-testid={`import-missing-${f}`}>
                {t('import.missingField', { field: t(`fields.${f}`) })}
              </Tag>
            ),
          )}
        </Flex>
        {missing.length ? <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>{t('import.missingHint')}</Typography.Text> : null}
      </Card>
      {mobile ? (
        <Flex vertical gap={8} data-testid="import-mapping">
          {a.headers.map((h, i) => {
            const v = state?.mapping[h] ?? null;
            return (
              <Card key={h} size="small">
                <Typography.Text strong>{h || t('import.unnamed')}</Typography.Text>
                <Typography.Text type="secondary" ellipsis style={{ display: 'block', margin: '2px 0 8px' }}>
                  {t('import.sampleValues')}: {sampleOf(i) || '—'}
                </Typography.Text>
                <Select
                  style={{ width: '100%' }}
                  value={v ?? '__ignore'}
                  status={v && duplicates.has(v) ? 'error' : undefined}
                  options={fieldOptions}
                  onChange={(val: string) => patch({ mapping: { ...state?.mapping, [h]: val === '__ignore' ? null : (val as ImportField) } })}
                  data-testid={`map-${h}`}
                />
              </Card>
            );
          })}
        </Flex>
      ) : (
      <Table
        size="small"
        rowKey="header"
        pagination={false}
        scroll={{ x: 560 }}
        data-testid="import-mapping"
        dataSource={a.headers.map((h, i) => ({ header: h, index: i }))}
        columns={[
          { title: t('import.sourceColumn'), dataIndex: 'header', width: 150, fixed: 'left', render: (v: string) => <Typography.Text strong>{v || t('import.unnamed')}</Typography.Text> },
          {
            title: t('import.registerField'),
            key: 'field',
            width: 200,
            render: (_: unknown, row: { header: string; index: number }) => {
              const v = state?.mapping[row.header] ?? null;
              const dup = v ? duplicates.has(v) : false;
              return (
                <Select
                  style={{ width: '100%' }}
                  value={v ?? '__ignore'}
                  status={dup ? 'error' : undefined}
                  options={fieldOptions}
                  onChange={(val: string) => patch({ mapping: { ...state?.mapping, [row.header]: val === '__ignore' ? null : (val as ImportField) } })}
                  data-testid={`map-${row.header}`}
                />
              );
            },
          },
          {
            title: t('import.sampleValues'),
            key: 'sample',
            render: (_: unknown, row: { header: string; index: number }) => (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                {sampleOf(row.index) || '—'}
              </Typography.Text>
            ),
          },
        ]}
      />
      )}
      {duplicates.size ? <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('import.duplicateMapping', { fields: [...duplicates].map((f) => t(`fields.${f}`)).join(t('common.listSep')) })} /> : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('import.preview')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="__row"
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="import-preview"
        dataSource={a.sample.map((r, n) => ({ __row: n, ...Object.fromEntries(r.map((v, i) => [String(i), v])) }))}
        columns={a.headers.map((h, i) => {
          const f = state?.mapping[h];
          return {
            title: (
              <span className="nowrap">
                {h}
                <br />
                {f ? <Tag color="blue">{t(`fields.${f}`)}</Tag> : <Tag>{t('import.ignore')}</Tag>}
              </span>
            ),
            dataIndex: String(i),
            render: (v: string) => <span className="nowrap">{v}</span>,
          };
        })}
      />
      <Flex justify="space-between" style={{ marginTop: 16 }} gap={8} wrap="wrap">
        <Button onClick={reset}>{t('import.restart')}</Button>
        <Button type="primary" disabled={missing.length > 0 || duplicates.size > 0} onClick={() => patch({ step: 2 })} data-testid="import-next-options">
          {t('common.next')}
        </Button>
      </Flex>
    </div>
  ) : null;

  const stepOptions = state ? (
    <div data-testid="import-step-options">
      <Flex vertical gap={16} style={{ maxWidth: 560 }}>
        <div>
          <Typography.Text strong>{t('import.targetNode')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('import.targetNodeHint')}
          </Typography.Paragraph>
          <RegionPicker value={state.node} maxLevel="grid" selectable={['street', 'community', 'grid']} onChange={(node) => patch({ node })} testId="import-node" placeholder={t('import.targetNodeDefault')} />
        </div>
        <div>
          <Typography.Text strong>{t('import.onExisting')}</Typography.Text>
          <Radio.Group value={state.onExisting} onChange={(e) => patch({ onExisting: e.target.value as 'update' | 'skip' })} style={{ display: 'block', marginTop: 8 }} data-testid="import-on-existing">
            <Space orientation="vertical">
              <Radio value="update">{t('import.update')}</Radio>
              <Radio value="skip">{t('import.skip')}</Radio>
            </Space>
          </Radio.Group>
        </div>
        <Alert type="info" showIcon title={t('import.dryRunExplain')} />
        {runError ? <Alert type="error" showIcon title={runError} /> : null}
        <Flex justify="space-between" gap={8} wrap="wrap">
          <Button onClick={() => patch({ step: 1 })}>{t('common.previous')}</Button>
          <Button type="primary" icon={<ExperimentOutlined />} loading={starting} onClick={() => void start(true)} data-testid="import-dry-run">
            {t('import.dryRun')}
          </Button>
        </Flex>
      </Flex>
    </div>
  ) : null;

  const dryResult = dry.job ? importResultOf(dry.job) : undefined;
  const stepDry = (
    <div data-testid="import-step-dryrun">
      {dry.job ? <JobProgress job={dry.job} /> : dry.error ? <Alert type="error" showIcon title={errorText(dry.error)} /> : null}
      {dry.job && isJobDone(dry.job) && dry.job.status === 'succeeded' ? (
        <div style={{ marginTop: 16 }}>
          <Alert type={dryResult && dryResult.rejected ? 'warning' : 'success'} showIcon style={{ marginBottom: 12 }} title={t('import.dryRunDone')} />
          <ImportResultView job={dry.job} />
          {dry.job.downloadable ? (
            <Button icon={<DownloadOutlined />} href={jobsApi.downloadUrl(dry.job.id)} target="_blank" rel="noopener" style={{ marginTop: 8 }}>
              {t('import.downloadErrors')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {runError ? <Alert type="error" showIcon title={runError} style={{ marginTop: 12 }} /> : null}
      <Flex justify="space-between" style={{ marginTop: 16 }} gap={8} wrap="wrap">
        <Button onClick={() => patch({ step: 1, dryJobId: undefined })} disabled={!!dry.job && !isJobDone(dry.job)}>
          {t('import.backToMapping')}
        </Button>
        <Button
          type="primary"
          icon={<RocketOutlined />}
          loading={starting}
          disabled={!dry.job || dry.job.status !== 'succeeded' || (dryResult ? dryResult.rejected >= dryResult.total : false)}
          onClick={() => void start(false)}
          data-testid="import-run"
        >
          {t('import.runForReal')}
        </Button>
      </Flex>
    </div>
  );

  const stepRun = (
    <div data-testid="import-step-result">
      {run.job ? <JobProgress job={run.job} downloadLabel={t('import.downloadErrors')} /> : run.error ? <Alert type="error" showIcon title={errorText(run.error)} /> : null}
      {run.job && run.job.status === 'succeeded' ? (
        <div style={{ marginTop: 16 }}>
          <Alert type="success" showIcon style={{ marginBottom: 12 }} title={t('import.done')} />
          <ImportResultView job={run.job} />
        </div>
      ) : null}
      <Flex justify="flex-end" style={{ marginTop: 16 }}>
        <Button icon={<RedoOutlined />} onClick={reset} disabled={!!run.job && !isJobDone(run.job)} data-testid="import-again">
          {t('import.another')}
        </Button>
      </Flex>
    </div>
  );

  return (
    <Card title={t('import.title')} data-testid="import-wizard">
      {mobile ? (
        <div style={{ marginBottom: 16 }} data-testid="import-steps">
          <Typography.Text strong>{t('import.stepOf', { n: step + 1, total: STEP_KEYS.length, title: t(`import.steps.${STEP_KEYS[step] ?? 'upload'}`) })}</Typography.Text>
          <Progress percent={((step + 1) / STEP_KEYS.length) * 100} steps={STEP_KEYS.length} showInfo={false} size={{ width: 56, height: 6 }} />
        </div>
      ) : (
        <Steps current={step} size="small" style={{ marginBottom: 20 }} items={STEP_KEYS.map((k) => ({ title: t(`import.steps.${k}`) }))} data-testid="import-steps" />
      )}
      {step === 0 ? stepUpload : null}
      {step === 1 ? stepMapping : null}
      {step === 2 ? stepOptions : null}
      {step === 3 ? stepDry : null}
      {step === 4 ? stepRun : null}
    </Card>
  );
}
