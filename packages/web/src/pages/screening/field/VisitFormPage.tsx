import { CheckOutlined, HomeOutlined, SmileOutlined, UserDeleteOutlined } from '@ant-design/icons';
import {
  abnormalReasons, answerErrors, daysAfter, normalAnswers, SCREENING_SYMPTOMS, type FieldError, type FieldMember, type Questionnaire, type ResidentAnswers,
} from '@gridline/shared';
import { Alert, App, Button, Card, DatePicker, Flex, Input, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { VulnerabilityTags } from '../../../components/VulnerabilityTags';
import { EmptyState, ErrorState, LoadingBlock } from '../../../components/states';
import { useLabels } from '../../../lib/labels';
import { todayInShanghai } from '../../../lib/time';
import { newClientKey } from '../../../offline/client-key';
import { visitQueue } from '../../../offline/visit-queue';
import { AnswerInput } from './AnswerInput';
import { useFieldList, useFieldUser, useLocalHouseholds } from './field-data';
import { HouseholdStateTag } from './FieldHouseholdsPage';

/** One resident's answers: at home or not first; the required questions open, the optional ones one tap away. */
function MemberCard({ m, q, answers, errors, onChange, index }: { m: FieldMember; q: Questionnaire; answers: ResidentAnswers; errors: FieldError[]; onChange: (a: ResidentAnswers) => void; index: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [more, setMore] = useState(false);
  const atHome = answers.presence === 'home';
  // Every symptom is worth a second look on the spot; the server judges by the protocol in force.
  const flagged = abnormalReasons(q, answers, SCREENING_SYMPTOMS).length > 0;
  const set = (id: string, v: unknown) => {
    const next = { ...answers };
    if (v === undefined) delete next[id];
    else next[id] = v;
    onChange(next);
  };
  const errorOf = (id: string) => errors.find((e) => e.path === `/${id}`)?.message;
  const items = q.items.filter((i) => i.kind !== 'presence');
  const required = items.filter((i) => i.required);
  const optional = items.filter((i) => !i.required);
  const render = (list: typeof items) =>
    list.map((item) => (
      <div className="field-q" key={item.id}>
        <div className="field-q-label">
          {item.label}
          {item.required ? <span style={{ color: '#cf1322' }}> *</span> : null}
        </div>
        <AnswerInput item={item} value={answers[item.id]} onChange={(v) => set(item.id, v)} testId={`answer-${index}-${item.id}`} />
        {errorOf(item.id) ? <Typography.Text type="danger" style={{ fontSize: 13 }}>{errorOf(item.id)}</Typography.Text> : null}
      </div>
    ));
  return (
    <Card className={`field-member${flagged ? ' abnormal' : ''}`} data-testid="visit-member" data-abnormal={flagged ? 'true' : 'false'}>
      <Flex justify="space-between" align="center" gap={8}>
        <div>
          <Typography.Text strong style={{ fontSize: 16 }}>{m.name}</Typography.Text>
          <Typography.Text type="secondary"> {labels.relation(m.relationToHead)} · {t(`sex.${m.sex}`)} · {t('common.ageYears', { age: m.age })}</Typography.Text>
        </div>
        {flagged ? <Tag color="orange">{t('screening.visit.attention')}</Tag> : null}
      </Flex>
      <VulnerabilityTags tags={m.tags} marginTop={4} />
      <div className="field-q">
        <AnswerInput item={q.items[0]!} value={answers.presence} onChange={(v) => set('presence', v)} testId={`answer-${index}-presence`} />
        {errorOf('presence') ? <Typography.Text type="danger">{errorOf('presence')}</Typography.Text> : null}
      </div>
      {atHome ? render(required) : null}
      {optional.length ? (
        more ? (
          render(optional)
        ) : (
          <Button type="link" style={{ paddingInline: 0, marginTop: 6 }} onClick={() => setMore(true)} data-testid={`more-${index}`}>
            {atHome ? t('screening.visit.moreQuestions', { count: optional.length }) : t('screening.visit.awayQuestions', { count: optional.length })}
          </Button>
        )
      ) : null}
    </Card>
  );
}

/**
 * 入户登记: a normal household takes two taps — "全户正常" (everyone at home, no symptoms, no needs; also the
 * starting point) and "提交". Nobody home schedules a revisit (tomorrow unless changed). The visit is saved on
 * the phone with its idempotency key and sent when there is a network.
 */
export default function VisitFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { campaignId = '', householdId = '' } = useParams();
  const { me } = useFieldUser();
  const list = useFieldList(me.id, campaignId);
  const households = useLocalHouseholds(me.id, list.data);
  const h = households?.find((x) => x.id === householdId);
  const q = list.data?.questionnaire;
  const today = todayInShanghai();
  const [answers, setAnswers] = useState<Record<string, ResidentAnswers>>({});
  const [nobodyHome, setNobodyHome] = useState(false);
  const [revisitOn, setRevisitOn] = useState(daysAfter(today, 1));
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  // One key per visit, made when the form opens: a double tap or a retry can never make a second visit.
  const [clientKey] = useState(newClientKey);

  const allNormal = useMemo(() => (h && q ? Object.fromEntries(h.members.map((m) => [m.id, normalAnswers(q)])) : {}), [h, q]);
  // The form starts as "all normal" for the household's members, once per household.
  const [startedFor, setStartedFor] = useState<string | null>(null);
  useEffect(() => {
    if (h && q && startedFor !== h.id) {
      setAnswers(allNormal);
      setStartedFor(h.id);
    }
  }, [h, q, allNormal, startedFor]);

  const errors = useMemo(() => {
    const out: Record<string, FieldError[]> = {};
    if (q) for (const m of h?.members ?? []) out[m.id] = answerErrors(q, answers[m.id] ?? {}, { today });
    return out;
  }, [q, h, answers, today]);

  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data || !households || !q) return <LoadingBlock rows={8} card />;
  if (!h) return <EmptyState description={t('screening.visit.notInList')} />;
  const closed = list.data.campaignStatus !== 'active';
  const noMembers = h.members.length === 0;

  const submit = async () => {
    setTried(true);
    const outcome = nobodyHome ? 'nobody_home' : 'visited';
    if (outcome === 'visited' && Object.values(errors).some((e) => e.length)) {
      void message.error(t('screening.visit.fixErrors'));
      return;
    }
    setSaving(true);
    try {
      await visitQueue.add(
        {
          clientKey, campaignId, householdId: h.id, baseVersion: h.version, outcome, visitedAt: Date.now(),
          results: outcome === 'visited' ? h.members.map((m) => ({ residentId: m.id, answers: answers[m.id] ?? {} })) : [],
          ...(outcome === 'nobody_home' ? { revisitOn } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
        h.address,
      );
      void message.success(t('screening.visit.saved'), 1.5);
      navigate(`/field/${campaignId}`, { replace: true });
    } catch {
      setSaving(false);
      void message.error(t('screening.visit.saveFailed'));
    }
  };

  return (
    <div data-testid="visit-form">
      <Card className="field-card" style={{ marginBottom: 10 }}>
        <Flex justify="space-between" align="flex-start" gap={8}>
          <div style={{ minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }}><HomeOutlined /> {h.room}</Typography.Title>
            <Typography.Text type="secondary">{h.address}</Typography.Text>
          </div>
          <HouseholdStateTag h={h} />
        </Flex>
        {h.lastVisitedBy ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('screening.visit.lastBy', { name: h.lastVisitedBy })}</Typography.Text> : null}
      </Card>
      {closed ? <Alert type="warning" showIcon title={t('screening.visit.closed')} style={{ marginBottom: 10 }} /> : null}
      {noMembers ? <Alert type="info" showIcon title={t('screening.visit.noMembers')} style={{ marginBottom: 10 }} /> : null}
      <Flex gap={8} style={{ marginBottom: 10 }}>
        <Button block size="large" icon={<SmileOutlined />} type={!nobodyHome ? 'primary' : 'default'} ghost={!nobodyHome} disabled={noMembers}
          onClick={() => { setNobodyHome(false); setAnswers(allNormal); }} data-testid="visit-all-normal">
          {t('screening.visit.allNormal')}
        </Button>
        <Button block size="large" icon={<UserDeleteOutlined />} type={nobodyHome ? 'primary' : 'default'} onClick={() => setNobodyHome(true)} data-testid="visit-nobody-home">
          {t('screening.visit.nobodyHome')}
        </Button>
      </Flex>
      {nobodyHome ? (
        <Card className="field-card" data-testid="visit-revisit">
          <Typography.Text>{t('screening.visit.revisitOn')}</Typography.Text>
          <DatePicker style={{ width: '100%', marginTop: 6 }} inputReadOnly allowClear={false} value={dayjs(revisitOn)}
            disabledDate={(d) => d.format('YYYY-MM-DD') < today} onChange={(d) => d && setRevisitOn(d.format('YYYY-MM-DD'))} />
        </Card>
      ) : noMembers ? null : (
        h.members.map((m, i) => (
          <MemberCard key={m.id} index={i} m={m} q={q} answers={answers[m.id] ?? {}} errors={tried ? (errors[m.id] ?? []) : []} onChange={(a) => setAnswers((all) => ({ ...all, [m.id]: a }))} />
        ))
      )}
      <Input.TextArea style={{ marginTop: 10 }} rows={2} maxLength={200} placeholder={t('screening.visit.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="field-actions">
        <Button block type="primary" size="large" icon={<CheckOutlined />} loading={saving} disabled={closed || (noMembers && !nobodyHome)} onClick={() => void submit()} data-testid="visit-submit">
          {nobodyHome ? t('screening.visit.submitNobodyHome') : t('screening.visit.submit', { count: h.members.length })}
        </Button>
      </div>
    </div>
  );
}
