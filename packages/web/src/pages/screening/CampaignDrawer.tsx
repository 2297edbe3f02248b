import { defaultQuestionnaire, questionnaireErrors, type Questionnaire } from '@gridline/shared';
import { Alert, App, Button, DatePicker, Drawer, Flex, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { applyFieldErrors, useErrorText } from '../../api/hooks';
import { screeningApi, type Campaign } from '../../api/screening';
import { useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { todayInShanghai } from '../../lib/time';
import { QuestionnaireEditor } from './QuestionnaireEditor';

interface Values {
  name: string;
  nodeCode: string;
  dates: [Dayjs, Dayjs];
}

/** New campaign, or change one: name, the node it covers (new only), dates, and the questionnaire while it is a draft. */
export function CampaignDrawer({ open, campaign, onClose, onSaved }: { open: boolean; campaign?: Campaign | undefined; onClose: () => void; onSaved: (c: Campaign) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [questionnaire, setQuestionnaire] = useState<Questionnaire>(defaultQuestionnaire());
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const editing = !!campaign;
  const questionnaireLocked = editing && campaign.status !== 'draft';

  useEffect(() => {
    if (!open) return;
    setProblems([]);
    setQuestionnaire(campaign?.questionnaire ?? defaultQuestionnaire());
    const today = dayjs(todayInShanghai());
    form.setFieldsValue(
      campaign
        ? { name: campaign.name, nodeCode: campaign.nodeCode, dates: [dayjs(campaign.startsOn), dayjs(campaign.endsOn)] }
        : { name: '', nodeCode: undefined as unknown as string, dates: [today, today.add(6, 'day')] },
    );
  }, [open, campaign, form]);

  const save = async (v: Values) => {
    const local = questionnaireErrors(questionnaire);
    if (local.length) {
      setProblems(local.map((e) => e.message));
      return;
    }
    setSaving(true);
    setProblems([]);
    const dates = { startsOn: v.dates[0].format('YYYY-MM-DD'), endsOn: v.dates[1].format('YYYY-MM-DD') };
    try {
      const saved = campaign
        ? await screeningApi.update(campaign.id, { version: campaign.version, name: v.name.trim(), ...dates, ...(questionnaireLocked ? {} : { questionnaire }) })
        : await screeningApi.create({ name: v.name.trim(), nodeCode: v.nodeCode, ...dates, questionnaire });
      void message.success(editing ? t('screening.form.saved') : t('screening.form.created'));
      onSaved(saved);
    } catch (err) {
      const { unmatched } = applyFieldErrors(form, err, { startsOn: 'dates', endsOn: 'dates' });
      setProblems(unmatched.length ? unmatched : toApiError(err).fields.length ? [] : [errorText(err)]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? '100%' : 560}
      title={editing ? t('screening.form.editTitle') : t('screening.form.newTitle')}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="campaign-save">{t('common.save')}</Button>
        </Flex>
      }
      data-testid="campaign-drawer"
    >
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} requiredMark>
        <Form.Item name="name" label={t('screening.form.name')} rules={[{ required: true, min: 2, message: t('screening.form.nameRule') }]}>
          <Input maxLength={60} placeholder={t('screening.form.namePlaceholder')} data-testid="campaign-name" />
        </Form.Item>
        <Form.Item name="nodeCode" label={t('screening.form.node')} rules={[{ required: true, message: t('screening.form.nodeRule') }]} extra={t('screening.form.nodeHelp')}>
          <RegionPicker maxLevel="grid" selectable={['district', 'street', 'community', 'grid']} disabled={editing} testId="campaign-node" />
        </Form.Item>
        <Form.Item name="dates" label={t('screening.form.dates')} rules={[{ required: true, message: t('screening.form.datesRule') }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} inputReadOnly />
        </Form.Item>
      </Form>
      {questionnaireLocked ? <Alert type="info" showIcon title={t('screening.form.questionnaireLocked')} style={{ marginBottom: 12 }} /> : null}
      {problems.length ? <Alert type="error" showIcon title={t('screening.form.problems')} description={problems.join('；')} style={{ marginBottom: 12 }} data-testid="campaign-problems" /> : null}
      <QuestionnaireEditor value={questionnaire} onChange={setQuestionnaire} disabled={questionnaireLocked} />
    </Drawer>
  );
}
