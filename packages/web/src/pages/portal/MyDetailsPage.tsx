import { Button, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { portalApi } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { ageOf, formatDateTime } from '../../lib/time';
import { VulnerabilityTags } from '../../components/VulnerabilityTags';

/** 我的信息: what the register holds about me (masked). */
export default function MyDetailsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const r = useApi((s) => portalApi.resident(s), []);
  if (r.error) return <ErrorState error={r.error} onRetry={r.reload} />;
  if (!r.data) return <LoadingBlock rows={8} card />;
  const d = r.data;
  return (
    <Flex vertical gap={12} data-testid="portal-me">
      <Card>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {d.name}
        </Typography.Title>
        <Flex gap={4} wrap="wrap" style={{ marginTop: 8 }}>
          <Tag color="blue">{labels.residence(d.residenceStatus)}</Tag>
          <VulnerabilityTags tags={d.tags} inline />
        </Flex>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Descriptions
          column={1}
          size="middle"
          bordered
          styles={{ label: { width: 110 } }}
          items={[
            { key: 'sex', label: t('fields.sex'), children: t(`sex.${d.sex}`) },
            { key: 'birth', label: t('fields.birthDate'), children: t('residents.birthWithAge', { date: d.birthDate, age: ageOf(d.birthDate) }) },
            { key: 'docType', label: t('fields.docType'), children: labels.docType(d.docType) },
            { key: 'doc', label: t('fields.docNumber'), children: d.docNumberMasked },
            { key: 'phone', label: t('fields.phone'), children: d.phoneMasked ?? t('common.none') },
            { key: 'rel', label: t('fields.relationToHead'), children: labels.relation(d.relationToHead) },
            { key: 'updated', label: t('common.updatedAt'), children: formatDateTime(d.updatedAt) },
          ]}
        />
      </Card>
      <Button type="primary" size="large" block onClick={() => navigate('/portal/phone')} data-testid="portal-go-phone">
        {t('portal.phone')}
      </Button>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
        {t('portal.maskedNote')}
      </Typography.Paragraph>
    </Flex>
  );
}
