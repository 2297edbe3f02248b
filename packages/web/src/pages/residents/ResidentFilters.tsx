import { ClearOutlined, FilterOutlined } from '@ant-design/icons';
import { RESIDENCE_STATUS_LABELS, RESIDENCE_STATUSES, VULNERABILITY_TAG_LABELS, VULNERABILITY_TAGS } from '@gridline/shared';
import { Badge, Button, Card, Col, Drawer, Flex, Input, Row, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsMobile } from '../../components/PageContainer';
import { RegionPicker } from '../../components/RegionPicker';
import { useLabels } from '../../lib/labels';
import { AGE_BANDS, hasFilters, type ListState } from './filters';

/** Node (within my jurisdiction), name/last-4 search, tags, age band, residence status. On phones: a sheet. */
export function ResidentFilters({ state, onChange }: { state: ListState; onChange: (patch: Partial<ListState>) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mobile = useIsMobile();
  const [q, setQ] = useState(state.q ?? '');
  const [sheet, setSheet] = useState(false);
  useEffect(() => setQ(state.q ?? ''), [state.q]);

  const active = [state.node, state.tags.length ? 1 : undefined, state.age, state.status].filter(Boolean).length;

  const search = (
    <Input.Search
      value={q}
      onChange={(e) => setQ(e.target.value)}
      onSearch={(v) => onChange({ q: v.trim() || undefined, page: 1 })}
      allowClear
      enterButton
      maxLength={50}
      placeholder={t('residents.searchPlaceholder')}
      data-testid="filter-q"
    />
  );

  const fields = (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={12} xl={6}>
        <RegionPicker
          value={state.node}
          maxLevel="unit"
          placeholder={t('residents.filterNode')}
          testId="filter-node"
          onChange={(code) => onChange({ node: code, page: 1 })}
        />
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Select
          mode="multiple"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          maxTagCount="responsive"
          style={{ width: '100%' }}
          placeholder={t('residents.filterTags')}
          value={state.tags}
          options={labels.options(VULNERABILITY_TAG_LABELS, VULNERABILITY_TAGS)}
          onChange={(tags) => onChange({ tags, page: 1 })}
          data-testid="filter-tags"
        />
      </Col>
      <Col xs={12} md={12} xl={6}>
        <Select
          allowClear
          style={{ width: '100%' }}
          placeholder={t('residents.filterAge')}
          value={state.age}
          options={AGE_BANDS.map((b) => ({ value: b.key, label: t(`ageBands.${b.key}`) }))}
          onChange={(age) => onChange({ age, page: 1 })}
          data-testid="filter-age"
        />
      </Col>
      <Col xs={12} md={12} xl={6}>
        <Select
          allowClear
          style={{ width: '100%' }}
          placeholder={t('residents.filterStatus')}
          value={state.status}
          options={labels.options(RESIDENCE_STATUS_LABELS, RESIDENCE_STATUSES)}
          onChange={(status) => onChange({ status, page: 1 })}
          data-testid="filter-status"
        />
      </Col>
    </Row>
  );

  const clear = (
    <Button
      icon={<ClearOutlined />}
      disabled={!hasFilters(state)}
      onClick={() => {
        setQ('');
        onChange({ node: undefined, q: undefined, tags: [], age: undefined, status: undefined, page: 1 });
      }}
      data-testid="filter-clear"
    >
      {t('residents.clearFilters')}
    </Button>
  );

  if (mobile) {
    return (
      <div data-testid="residents-filters">
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <div style={{ flex: 1 }}>{search}</div>
          <Badge count={active} size="small">
            <Button icon={<FilterOutlined />} onClick={() => setSheet(true)} data-testid="filter-open" aria-label={t('residents.filters')} />
          </Badge>
        </Flex>
        <Drawer
          placement="bottom"
          open={sheet}
          onClose={() => setSheet(false)}
          title={t('residents.filters')}
          size="auto"
          styles={{ body: { paddingBottom: 24 } }}
          footer={
            <Flex gap={8}>
              {clear}
              <Button type="primary" block onClick={() => setSheet(false)}>
                {t('residents.showResults')}
              </Button>
            </Flex>
          }
        >
          {fields}
        </Drawer>
      </div>
    );
  }

  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="residents-filters">
      <Flex vertical gap={12}>
        <Flex gap={12}>
          <div style={{ flex: 1, maxWidth: 480 }}>{search}</div>
          {clear}
        </Flex>
        {fields}
      </Flex>
    </Card>
  );
}
