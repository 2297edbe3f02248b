import { EnvironmentOutlined } from '@ant-design/icons';
import { untilZh } from '@gridline/shared';
import { Alert, Card, Flex, Typography } from 'antd';
import { Link } from 'react-router';
import { measuresApi } from '../../api/measures';
import { useTranslation } from 'react-i18next';
import { portalApi } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { ageOf } from '../../lib/time';
import { VulnerabilityTags } from '../../components/VulnerabilityTags';

/** 我的家庭: my household's address and members (masked as the server gives them). */
export default function MyHouseholdPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const h = useApi((s) => portalApi.household(s), []);
  // A measure in force is the first thing the person sees, with the way to its notice and to an appeal.
  const measures = useApi((s) => measuresApi.mine(s), []);
  const inForce = measures.data?.find((m) => m.inForce);
  if (h.error) return <ErrorState error={h.error} onRetry={h.reload} />;
  if (!h.data) return <LoadingBlock rows={6} card />;
  const d = h.data;
  return (
    <Flex vertical gap={12} data-testid="portal-household">
      {inForce ? (
        <Alert
          type="warning"
          showIcon
          data-testid="measure-banner"
          title={t('measures.portal.banner', { measure: t(`measures.kind.${inForce.kind}`), date: untilZh(inForce.endedAt ?? inForce.plannedEndAt) })}
          description={<Link to="/portal/measures" data-testid="measure-banner-link">{t('measures.portal.bannerLink')}</Link>}
        />
      ) : null}
      <Card>
        <Typography.Text type="secondary">{t('portal.address')}</Typography.Text>
        <Typography.Title level={4} style={{ margin: '4px 0 0' }}>
          <EnvironmentOutlined /> {d.address}
        </Typography.Title>
        <Typography.Text type="secondary">{t('portal.memberCount', { count: d.members.length })}</Typography.Text>
      </Card>
      {d.members.length === 0 ? <EmptyState description={t('household.noMembers')} /> : null}
      {d.members.map((m) => (
        <Card key={m.id} size="small" data-testid="portal-member">
          <Flex justify="space-between" align="center" gap={8}>
            <div>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {m.name}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {labels.relation(m.relationToHead)} · {t(`sex.${m.sex}`)} · {t('common.ageYears', { age: ageOf(m.birthDate) })}
                </Typography.Text>
              </div>
            </div>
            <Typography.Text type="secondary">{m.phoneMasked ?? ''}</Typography.Text>
          </Flex>
          <VulnerabilityTags tags={m.tags} marginTop={8} />
        </Card>
      ))}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
        {t('portal.correctionHint')}
      </Typography.Paragraph>
    </Flex>
  );
}
