import { ArrowLeftOutlined, SafetyOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { casesApi } from '../../api/cases';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { ErrorState, LoadingBlock } from '../../components/states';
import { formatDateTime } from '../../lib/time';
import { useCaseLabels } from '../cases/caseLabels';
import CaseTracingSection from './CaseTracingSection';

/** One case's tracing on its own page (reached from the clock list); the case page shows the same section. */
export default function CaseTracingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const { can } = useAuth();
  const c = useApi((s) => casesApi.get(id, s), [id]);
  if (c.error) return <ErrorState error={c.error} onRetry={c.reload} />;
  if (!c.data) return <LoadingBlock rows={8} card />;
  const k = c.data.case;
  return (
    <PageContainer
      testId="case-tracing-page"
      title={`${t('tracing.section')} · ${k.caseNo}`}
      extra={
        <>
          <Link to="/tracing"><Button icon={<ArrowLeftOutlined />}>{t('tracing.title')}</Button></Link>
          {/* Confirmed contacts go on to the measures page's 待采取措施, filtered to this case. */}
          {can('measure.write') ? (
            <Link to={`/measures?tab=proposals&case=${k.id}`}><Button icon={<SafetyOutlined />} data-testid="case-impose-measures">{t('measures.proposals.fromCase')}</Button></Link>
          ) : null}
        </>
      }
    >
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'name', label: t('tracing.columns.name'), children: <><b>{k.personName}</b> <Tag color="red">{labels.classification(k.classification)}</Tag></> },
            { key: 'onset', label: t('cases.fields.onsetDate', { defaultValue: '发病日期' }), children: k.onsetDate ?? '—' },
            { key: 'sampling', label: t('cases.fields.samplingDate', { defaultValue: '采样日期' }), children: k.samplingDate ?? '—' },
            { key: 'confirmed', label: t('cases.fields.confirmedAt', { defaultValue: '确诊时间' }), children: k.confirmedAt ? formatDateTime(k.confirmedAt) : '—' },
            { key: 'region', label: t('cases.fields.region', { defaultValue: '所属区域' }), children: k.regionName },
            { key: 'open', label: '', children: <Link to={`/cases/${k.id}`}>{t('cases.detail', { defaultValue: '病例详情' })}</Link> },
          ]}
        />
      </Card>
      <CaseTracingSection caseId={k.id} />
    </PageContainer>
  );
}
