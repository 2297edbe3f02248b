import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { jobsApi, type Job } from '../../api/endpoints';
import { useApi, useJob } from '../../api/hooks';
import { JobProgress, JobStatusTag } from '../../components/JobProgress';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { ImportResultView } from './ImportResultView';

function LiveJob({ initial }: { initial: Job }) {
  const { t } = useTranslation();
  const active = initial.status === 'queued' || initial.status === 'running';
  const { job } = useJob(active ? initial.id : undefined);
  const j = job ?? initial;
  if (j.status === 'queued' || j.status === 'running') {
    return (
      <Card size="small" style={{ marginBottom: 8 }} data-testid="recent-job">
        <JobProgress job={j} />
      </Card>
    );
  }
  return (
    <Card size="small" style={{ marginBottom: 8 }} data-testid="recent-job">
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="center" wrap="wrap" gap={8}>
          <Flex gap={8} align="center">
            <JobStatusTag job={j} />
            <Typography.Text>{t(`jobs.kind.${j.kind}`)}</Typography.Text>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(j.finishedAt ?? j.createdAt)}
          </Typography.Text>
        </Flex>
        {j.kind === 'resident_import' && j.result ? <ImportResultView job={j} compact /> : null}
        {j.status === 'failed' && j.error ? <Typography.Text type="danger">{j.error}</Typography.Text> : null}
        {j.downloadable ? (
          <Button size="small" icon={<DownloadOutlined />} href={jobsApi.downloadUrl(j.id)} target="_blank" rel="noopener" style={{ alignSelf: 'flex-start' }}>
            {j.kind === 'resident_import' ? t('import.downloadErrors') : t('export.download')}
          </Button>
        ) : null}
      </Flex>
    </Card>
  );
}

/** My recent jobs (GET /api/jobs): running ones keep their live progress across page reloads. */
export function JobsCard({ refreshKey }: { refreshKey: number }) {
  const { t } = useTranslation();
  const jobs = useApi((s) => jobsApi.list(s), [refreshKey]);
  const err = jobs.error ? toApiError(jobs.error) : undefined;
  return (
    <Card
      title={t('jobs.recent')}
      extra={<Button type="text" icon={<ReloadOutlined />} onClick={jobs.reload} aria-label={t('common.refresh')} />}
      data-testid="recent-jobs"
    >
      {err && err.notAvailable && err.code === 'GRIDLINE_NOT_FOUND' ? <EmptyState description={t('jobs.unavailable')} /> : null}
      {err && !(err.notAvailable && err.code === 'GRIDLINE_NOT_FOUND') ? <ErrorState compact error={err} onRetry={jobs.reload} /> : null}
      {!err && !jobs.data ? <LoadingBlock rows={3} /> : null}
      {jobs.data && jobs.data.items.length === 0 ? <EmptyState description={t('jobs.none')} /> : null}
      {jobs.data?.items.slice(0, 10).map((j) => <LiveJob key={j.id} initial={j} />)}
    </Card>
  );
}
