import { HomeOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { householdsApi, type Household, type Resident } from '../../api/endpoints';
import { useApi } from '../../api/hooks';
import { EmptyState, ErrorState, LoadingBlock } from '../../components/states';
import { useLabels } from '../../lib/labels';
import { ageOf, formatDateTime } from '../../lib/time';
import { VulnerabilityTags } from '../../components/VulnerabilityTags';

/** Members of a household and where it has lived (GET /api/households/:id and /history). */
export function HouseholdSection(props: {
  householdId: string;
  currentId?: string | undefined;
  onOpenResident: (id: string) => void;
  onAddMember?: ((h: Household) => void) | undefined;
  onLoaded?: (h: Household) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const household = useApi(
    async (s) => {
      const h = await householdsApi.get(props.householdId, s);
      props.onLoaded?.(h);
      return h;
    },
    [props.householdId],
  );
  const history = useApi((s) => householdsApi.history(props.householdId, s), [props.householdId]);
  const h = household.data;

  return (
    <Flex vertical gap={16}>
      <Card
        size="small"
        title={
          <Flex align="center" gap={8}>
            <HomeOutlined />
            <span>{t('household.members')}</span>
          </Flex>
        }
        extra={
          h && props.onAddMember ? (
            <Button size="small" icon={<UserAddOutlined />} onClick={() => props.onAddMember?.(h)} data-testid="household-add-member">
              {t('household.addMember')}
            </Button>
          ) : null
        }
        data-testid="household-members"
      >
        {household.error ? <ErrorState compact error={household.error} onRetry={household.reload} /> : null}
        {!h && !household.error ? <LoadingBlock rows={3} /> : null}
        {h ? (
          <>
            <Typography.Paragraph strong style={{ marginBottom: 8 }}>
              {h.address}
            </Typography.Paragraph>
            {h.members.length === 0 ? <EmptyState description={t('household.noMembers')} /> : null}
            <Flex vertical gap={6}>
              {h.members.map((m: Resident) => (
                <Flex
                  key={m.id}
                  align="center"
                  justify="space-between"
                  gap={8}
                  wrap="wrap"
                  className="member-row"
                  style={{
                    padding: '8px 10px',
                    borderRadius: 6,
                    background: m.id === props.currentId ? '#e6f0ff' : '#fafafa',
                    cursor: m.id === props.currentId ? 'default' : 'pointer',
                    minHeight: 44,
                  }}
                  onClick={() => m.id !== props.currentId && props.onOpenResident(m.id)}
                >
                  <span>
                    <Typography.Text strong>{m.name}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {labels.relation(m.relationToHead)} · {t(`sex.${m.sex}`)} · {t('common.ageYears', { age: ageOf(m.birthDate) })}
                    </Typography.Text>
                  </span>
                  <VulnerabilityTags tags={m.tags} />
                </Flex>
              ))}
            </Flex>
          </>
        ) : null}
      </Card>
      <Card
        size="small"
        title={
          <Flex align="center" gap={8}>
            <SwapOutlined />
            <span>{t('household.history')}</span>
          </Flex>
        }
        data-testid="household-history"
      >
        {history.error ? <ErrorState compact error={history.error} onRetry={history.reload} /> : null}
        {!history.data && !history.error ? <LoadingBlock rows={2} /> : null}
        {history.data && history.data.length === 0 ? <EmptyState description={t('household.noMoves')} /> : null}
        {history.data && history.data.length > 0 ? (
          <Timeline
            items={history.data.map((m) => ({
              key: m.id,
              content: (
                <div>
                  <Typography.Text type="secondary">{formatDateTime(m.movedAt)}</Typography.Text>
                  <div>{t('household.moved', { from: m.fromAddress, to: m.toAddress })}</div>
                  <Typography.Text type="secondary">{t('household.moveReason', { reason: m.reason })}</Typography.Text>
                </div>
              ),
            }))}
          />
        ) : null}
      </Card>
    </Flex>
  );
}
