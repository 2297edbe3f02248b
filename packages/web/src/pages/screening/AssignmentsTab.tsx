import type { CampaignGrid } from '@gridline/shared';
import { App, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApi, useNotifyError } from '../../api/hooks';
import { screeningApi } from '../../api/screening';
import { ErrorState } from '../../components/states';

/** 网格分工: who covers each grid (by default the grid's own grid workers); staff whose jurisdiction covers the grid can take it. */
export function AssignmentsTab({ campaignId, closed, onChanged }: { campaignId: string; closed: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const grids = useApi((s) => screeningApi.grids(campaignId, s), [campaignId]);
  if (grids.error) return <ErrorState error={grids.error} onRetry={grids.reload} />;
  const assign = async (g: CampaignGrid, userIds: string[]) => {
    try {
      const updated = await screeningApi.assign(campaignId, g.gridCode, { userIds });
      grids.setData((grids.data ?? []).map((x) => (x.gridCode === g.gridCode ? updated : x)));
      void message.success(t('screening.assign.saved', { grid: g.gridName }));
      onChanged();
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t('screening.assign.help')}</Typography.Paragraph>
      <Table<CampaignGrid>
        rowKey="gridCode" size="middle" loading={grids.loading} dataSource={grids.data ?? []} pagination={false} data-testid="assign-table"
        columns={[
          { title: t('screening.progress.grid'), key: 'grid', render: (_, g) => <span className="nowrap">{g.communityName} {g.gridName}</span> },
          {
            title: t('screening.progress.workers'), key: 'workers',
            render: (_, g) => (
              <Select mode="multiple" style={{ width: '100%', minWidth: 220 }} disabled={closed} value={g.workers.map((w) => w.id)} placeholder={t('screening.progress.unassigned')}
                options={[...g.candidates, ...g.workers.filter((w) => !g.candidates.some((c) => c.id === w.id))].map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
                onChange={(ids: string[]) => void assign(g, ids)} />
            ),
          },
        ]}
      />
    </>
  );
}
