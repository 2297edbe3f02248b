import { EyeOutlined } from '@ant-design/icons';
import { Alert, Flex, Form, Input, Modal, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentsApi, type UnmaskedResidentT } from '../../api/endpoints';
import { applyFieldErrors, useErrorText } from '../../api/hooks';

export const PURPOSE_CHOICES = ['homeVisit', 'contact', 'tracing', 'verify'] as const;

/** Asks why the full ID and phone are needed (audited), then reveals them. */
export function UnmaskModal(props: { open: boolean; residentId: string; name: string; onClose: () => void; onUnmasked: (v: UnmaskedResidentT, purpose: string) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ purpose: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const purposeValue = Form.useWatch('purpose', form) as string | undefined;

  useEffect(() => {
    if (props.open) {
      form.resetFields();
      setError(undefined);
    }
  }, [props.open, form]);

  const submit = async () => {
    let purpose: string;
    try {
      purpose = (await form.validateFields()).purpose.trim();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const v = await residentsApi.unmask(props.residentId, purpose);
      props.onUnmasked(v, purpose);
    } catch (err) {
      const { matched } = applyFieldErrors(form, err);
      if (!matched) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={
        <Flex align="center" gap={8}>
          <EyeOutlined />
          {t('unmask.title', { name: props.name })}
        </Flex>
      }
      okText={t('unmask.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={props.onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'unmask-confirm' } as Record<string, string>}
    >
      <div data-testid="unmask-modal">
        <Alert type="warning" showIcon title={t('unmask.auditNotice')} style={{ marginBottom: 16 }} />
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Typography.Paragraph style={{ marginBottom: 8 }}>{t('unmask.quickChoices')}</Typography.Paragraph>
        <Flex wrap="wrap" gap={8} style={{ marginBottom: 12 }}>
          {PURPOSE_CHOICES.map((p) => (
            <Tag.CheckableTag
              key={p}
              checked={purposeValue === t(`unmask.purposes.${p}`)}
              onChange={() => {
                form.setFieldsValue({ purpose: t(`unmask.purposes.${p}`) });
                void form.validateFields(['purpose']).catch(() => undefined);
              }}
              style={{ padding: '6px 12px', fontSize: 14, border: '1px solid #d9d9d9' }}
              data-testid={`unmask-purpose-${p}`}
            >
              {t(`unmask.purposes.${p}`)}
            </Tag.CheckableTag>
          ))}
        </Flex>
        <Form form={form} layout="vertical">
          <Form.Item
            name="purpose"
            label={t('unmask.purpose')}
            rules={[
              { required: true, whitespace: true, message: t('unmask.purposeRequired') },
              { min: 2, message: t('unmask.purposeMin') },
              { max: 200, message: t('unmask.purposeMax') },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder={t('unmask.purposePlaceholder')} data-testid="unmask-purpose" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
