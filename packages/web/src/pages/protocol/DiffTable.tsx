import { ArrowRightOutlined } from '@ant-design/icons';
import { PROTOCOL_GROUP_LABELS, type ProtocolChange } from '@gridline/shared';
import { Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIsMobile } from '../../components/PageContainer';
import { useLabels } from '../../lib/labels';

/** Field by field: the group, the Chinese field label, old → new (a field one side lacks shows as —). */
export function DiffTable({ changes, empty, testId }: { changes: readonly ProtocolChange[]; empty: string; testId?: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  if (!changes.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} data-testid={testId} />;
  const group = (g: ProtocolChange['group']) => labels.options(PROTOCOL_GROUP_LABELS, [g])[0]!.label;
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  if (mobile) {
    return (
      <Flex vertical gap={8} data-testid={testId}>
        {changes.map((c) => (
          <Card key={c.path} size="small" data-testid="diff-row">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{group(c.group)}</Typography.Text>
            <div>
              <Typography.Text strong>{c.label}</Typography.Text>
            </div>
            <Flex gap={8} align="center" wrap="wrap">
              <Typography.Text delete type="secondary">{c.from ?? '—'}</Typography.Text>
              <ArrowRightOutlined />
              <Typography.Text strong>{c.to ?? '—'}</Typography.Text>
            </Flex>
          </Card>
        ))}
      </Flex>
    );
  }
  return (
    <Table
      rowKey="path"
      size="small"
      pagination={false}
      dataSource={[...changes]}
      data-testid={testId}
      onRow={() => ({ 'data-testid': 'diff-row' }) as never}
      columns={[
        { title: t('protocol.diff.group'), key: 'group', width: 130, render: (_: unknown, c) => <Tag>{group(c.group)}</Tag> },
        { title: t('protocol.diff.field'), dataIndex: 'label', key: 'label' },
        { title: t('protocol.diff.from'), key: 'from', render: (_: unknown, c) => (c.from === null ? none : <Typography.Text type="secondary">{c.from}</Typography.Text>) },
        { title: '', key: 'arrow', width: 32, render: () => <ArrowRightOutlined /> },
        { title: t('protocol.diff.to'), key: 'to', render: (_: unknown, c) => (c.to === null ? none : <Typography.Text strong>{c.to}</Typography.Text>) },
      ]}
    />
  );
}
