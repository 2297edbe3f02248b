import { ExportOutlined } from '@ant-design/icons';
import { Alert, Checkbox, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/client';
import { exportsApi, type ResidentFilters } from '../api/endpoints';
import { applyFieldErrors, useErrorText, useJob } from '../api/hooks';
import { useAuth } from '../auth/AuthContext';
import { JobProgress } from './JobProgress';
import { NotAvailable } from './states';

/** Export the current register filter to .xlsx as a background job; full values need a purpose (audited). */
export function ExportModal(props: { open: boolean; onClose: () => void; filters: ResidentFilters; summary: { label: string; value: string }[]; total?: number | string | undefined }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ full: boolean; purpose?: string }>();
  const full = Form.useWatch('full', form) as boolean | undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [unavailable, setUnavailable] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const { job, setJob } = useJob(jobId);

  useEffect(() => {
    if (props.open) {
      form.resetFields();
      setError(undefined);
      setJobId(undefined);
      setUnavailable(false);
    }
  }, [props.open, form]);

  const start = async () => {
    let v: { full: boolean; purpose?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const j = await exportsApi.residents({ filters: props.filters, ...(v.full && v.purpose ? { purpose: v.purpose.trim() } : {}) });
      setJob(j);
      setJobId(j.id);
    } catch (err) {
      const e = toApiError(err);
      if (e.notAvailable && e.code === 'GRIDLINE_NOT_FOUND') setUnavailable(true);
      else {
        const { matched } = applyFieldErrors(form, e);
        if (!matched) setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={
        <span>
          <ExportOutlined /> {t('export.title')}
        </span>
      }
      onCancel={props.onClose}
      onOk={() => (job ? props.onClose() : void start())}
      okText={job ? t('common.close') : t('export.start')}
      cancelButtonProps={{ style: job ? { display: 'none' } : undefined }}
      confirmLoading={busy}
      okButtonProps={{ disabled: unavailable }}
      destroyOnHidden
    >
      <div data-testid="export-modal">
        {unavailable ? <NotAvailable what={t('export.title')} /> : null}
        {!unavailable && !job ? (
          <>
            <Typography.Paragraph>{t('export.intro', { count: props.total ?? 0 })}</Typography.Paragraph>
            <Descriptions
              size="small"
              column={1}
              bordered
              style={{ marginBottom: 16 }}
              items={
                props.summary.length
                  ? props.summary.map((s, i) => ({ key: String(i), label: s.label, children: s.value }))
                  : [{ key: 'all', label: t('export.scope'), children: t('export.allInJurisdiction') }]
              }
            />
            {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
            <Form form={form} layout="vertical" initialValues={{ full: false }}>
              {can('resident.unmask') ? (
                <Form.Item name="full" valuePropName="checked" style={{ marginBottom: 8 }}>
                  <Checkbox data-testid="export-full">{t('export.full')}</Checkbox>
                </Form.Item>
              ) : null}
              {full ? (
                <>
                  <Alert type="warning" showIcon title={t('export.fullWarning')} style={{ marginBottom: 12 }} />
                  <Form.Item
                    name="purpose"
                    label={t('export.purpose')}
                    rules={[
                      { required: true, whitespace: true, message: t('unmask.purposeRequired') },
                      { min: 2, message: t('unmask.purposeMin') },
                    ]}
                  >
                    <Input.TextArea rows={2} maxLength={200} placeholder={t('export.purposePlaceholder')} data-testid="export-purpose" />
                  </Form.Item>
                </>
              ) : (
                <Typography.Text type="secondary">{t('export.maskedNote')}</Typography.Text>
              )}
            </Form>
          </>
        ) : null}
        {job ? <JobProgress job={job} downloadLabel={t('export.download')} /> : null}
        {job ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('export.backgroundNote')}
          </Typography.Paragraph>
        ) : null}
      </div>
    </Modal>
  );
}
