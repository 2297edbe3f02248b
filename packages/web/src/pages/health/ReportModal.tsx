import type { HealthReportResult, MyHealthReportBody } from '@gridline/shared';
import { Alert, App, Flex, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthApi } from '../../api/health';
import { useErrorText } from '../../api/hooks';
import { useIsMobile } from '../../components/PageContainer';
import { HealthReportForm } from './HealthReportForm';
import { ResidentPicker } from './ResidentPicker';

/**
 * 代为上报: a worker records today's report for a resident (named by the missing list, the register, or a search).
 * An abnormal result says plainly that a follow-up task was raised.
 */
export function ReportModal(props: {
  open: boolean;
  resident?: { id: string; name: string } | undefined;
  feverThresholdC: number;
  onClose: () => void;
  onSaved: (r: HealthReportResult) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const [residentId, setResidentId] = useState<string | undefined>(props.resident?.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    setResidentId(props.resident?.id);
    setError(undefined);
  }, [props.resident, props.open]);

  const submit = async (body: MyHealthReportBody) => {
    if (!residentId) {
      setError(t('health.picker.required'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const res = await healthApi.report({ residentId, ...body });
      if (res.report.abnormal) void message.warning(t('health.saved.abnormal', { name: res.report.residentName }), 5);
      else void message.success(res.updated ? t('health.saved.updated', { name: res.report.residentName }) : t('health.saved.ok', { name: res.report.residentName }));
      props.onSaved(res);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      onCancel={props.onClose}
      footer={null}
      destroyOnHidden
      width={mobile ? '100%' : 560}
      style={mobile ? { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 } : undefined}
      title={props.resident ? t('health.onBehalfOf', { name: props.resident.name }) : t('health.onBehalf')}
      data-testid="report-modal"
    >
      <Flex vertical gap={12}>
        {props.resident ? null : (
          <div>
            <Typography.Text strong>{t('health.picker.label')}</Typography.Text>
            <ResidentPicker value={residentId} onChange={(id) => setResidentId(id)} />
          </div>
        )}
        {error ? <Alert type="error" showIcon title={error} /> : null}
        <HealthReportForm feverThresholdC={props.feverThresholdC} busy={busy} submitText={t('health.submitOnBehalf')} onSubmit={(b) => void submit(b)} />
      </Flex>
    </Modal>
  );
}
