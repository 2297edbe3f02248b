import { CheckCircleOutlined, CloseCircleOutlined, DownloadOutlined, LoadingOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { jobsApi, type Job } from '../api/endpoints';
import { formatDateTime } from '../lib/time';

export function jobPercent(job: Job): number {
  if (job.status === 'succeeded') return 100;
  if (!job.total) return 0;
  return Math.min(99, Math.floor((job.progress / job.total) * 100));
}

export function JobStatusTag({ job }: { job: Job }) {
  const { t } = useTranslation();
  const color = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error' }[job.status];
  const icon = job.status === 'running' ? <LoadingOutlined /> : job.status === 'succeeded' ? <CheckCircleOutlined /> : job.status === 'failed' ? <CloseCircleOutlined /> : undefined;
  return (
    <Tag color={color} icon={icon} data-testid="job-status">
      {t(`jobs.status.${job.status}`)}
    </Tag>
  );
}

/** A background job's progress, live: status, bar, counts, error, and the file when there is one. */
export function JobProgress({ job, downloadLabel }: { job: Job; downloadLabel?: string }) {
  const { t } = useTranslation();
  const pct = jobPercent(job);
  return (
    <Flex vertical gap={8} data-testid="job-progress" data-status={job.status}>
      <Flex align="center" justify="space-between" gap={8} wrap="wrap">
        <Flex align="center" gap={8}>
          <JobStatusTag job={job} />
          <Typography.Text type="secondary">{t(`jobs.kind.${job.kind}`)}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('jobs.startedAt', { at: formatDateTime(job.createdAt) })}
        </Typography.Text>
      </Flex>
      <Progress
        percent={pct}
        status={job.status === 'failed' ? 'exception' : job.status === 'succeeded' ? 'success' : 'active'}
        data-testid="job-progress-bar"
      />
      <Typography.Text type="secondary">
        {job.total ? t('jobs.rows', { done: job.progress.toLocaleString(), total: job.total.toLocaleString() }) : job.status === 'queued' ? t('jobs.waiting') : t('jobs.rowsUnknown', { done: job.progress.toLocaleString() })}
        {job.message ? ` · ${job.message}` : ''}
      </Typography.Text>
      {job.status === 'failed' ? <Alert type="error" showIcon title={t('jobs.failed')} description={job.error ?? undefined} /> : null}
      {job.downloadable && job.status === 'succeeded' ? (
        <Button type="primary" icon={<DownloadOutlined />} href={jobsApi.downloadUrl(job.id)} target="_blank" rel="noopener" data-testid="job-download">
          {downloadLabel ?? t('jobs.download')}
        </Button>
      ) : null}
    </Flex>
  );
}
