import { ExportOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { ExportModal } from '../../components/ExportModal';
import { PageContainer } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { ImportWizard } from './ImportWizard';
import { JobsCard } from './JobsCard';

/** 导入导出: spreadsheet import with mapping and a dry run; exports as background jobs; my recent jobs. */
export default function TransferPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [node, setNode] = useState<string | undefined>(undefined);
  const [nodeName, setNodeName] = useState<string | undefined>(undefined);
  const [exportOpen, setExportOpen] = useState(false);
  const [jobsKey, setJobsKey] = useState(0);

  return (
    <PageContainer testId="transfer-page" title={t('menu.transfer')} subTitle={t('transfer.subtitle')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            {can('resident.write') ? <ImportWizard onJobStarted={() => setJobsKey((k) => k + 1)} /> : null}
            {can('resident.read') ? (
              <Card
                title={
                  <span>
                    <ExportOutlined /> {t('export.title')}
                  </span>
                }
                data-testid="export-card"
              >
                <Typography.Paragraph type="secondary">{t('transfer.exportIntro')}</Typography.Paragraph>
                <Flex gap={8} wrap="wrap">
                  <div style={{ flex: 1, minWidth: 220, maxWidth: 420 }}>
                    <RegionPicker
                      value={node}
                      onChange={(c, n) => {
                        setNode(c);
                        setNodeName(n?.name);
                      }}
                      maxLevel="unit"
                      placeholder={t('transfer.exportAll')}
                    />
                  </div>
                  <Button type="primary" icon={<ExportOutlined />} onClick={() => setExportOpen(true)} data-testid="transfer-export">
                    {t('export.start')}
                  </Button>
                  <Button icon={<SearchOutlined />} onClick={() => navigate(node ? `/residents?node=${node}` : '/residents')}>
                    {t('transfer.filterFirst')}
                  </Button>
                </Flex>
              </Card>
            ) : null}
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <JobsCard refreshKey={jobsKey} />
        </Col>
      </Row>
      <ExportModal
        open={exportOpen}
        onClose={() => {
          setExportOpen(false);
          setJobsKey((k) => k + 1);
        }}
        filters={node ? { node } : {}}
        summary={node ? [{ label: t('residents.filterNode'), value: nodeName ?? node }] : []}
      />
    </PageContainer>
  );
}
