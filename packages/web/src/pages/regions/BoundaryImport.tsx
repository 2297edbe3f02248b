import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../api/client';
import { regionsApi, type BoundaryImportBody, type BoundaryImportResult } from '../../api/endpoints';
import { useErrorText } from '../../api/hooks';
import { NotAvailable } from '../../components/states';

/** Reads a GeoJSON FeatureCollection whose features carry `properties.code`; explains what is wrong in plain words. */
function parseCollection(text: string): { ok: true; body: BoundaryImportBody } | { ok: false; problem: 'json' | 'type' | 'features' | 'codes' } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'json' };
  }
  const o = json as { type?: unknown; features?: unknown };
  if (o.type !== 'FeatureCollection') return { ok: false, problem: 'type' };
  if (!Array.isArray(o.features) || o.features.length === 0) return { ok: false, problem: 'features' };
  const bad = (o.features as { properties?: { code?: unknown } }[]).some((f) => typeof f.properties?.code !== 'string' && typeof f.properties?.code !== 'number');
  if (bad) return { ok: false, problem: 'codes' };
  for (const f of o.features as { properties: { code: unknown } }[]) f.properties.code = String(f.properties.code);
  return { ok: true, body: json as BoundaryImportBody };
}

export function BoundaryImport({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [file, setFile] = useState<{ name: string; body: BoundaryImportBody } | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BoundaryImportResult | undefined>(undefined);
  const [unavailable, setUnavailable] = useState(false);

  useEffect(() => {
    if (open) {
      setFile(undefined);
      setProblem(undefined);
      setResult(undefined);
      setUnavailable(false);
    }
  }, [open]);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const r = await regionsApi.importBoundaries(file.body);
      setResult(r);
      onDone();
    } catch (err) {
      const e = toApiError(err);
      if (e.notAvailable && e.code === 'GRIDLINE_NOT_FOUND') setUnavailable(true);
      else setProblem([errorText(e), ...e.fields.map((f) => `${f.path}: ${f.message}`)].join(t('common.clauseSep')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('boundaries.title')}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={
        result || unavailable ? (
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          [
            <Button key="c" onClick={onClose}>
              {t('common.cancel')}
            </Button>,
            <Button key="ok" type="primary" disabled={!file} loading={busy} onClick={() => void upload()} data-testid="boundaries-submit">
              {t('boundaries.submit')}
            </Button>,
          ]
        )
      }
    >
      <div data-testid="boundaries-modal">
        {unavailable ? <NotAvailable what={t('boundaries.title')} /> : null}
        {!unavailable && !result ? (
          <>
            <Typography.Paragraph type="secondary">{t('boundaries.intro')}</Typography.Paragraph>
            <Upload.Dragger
              accept=".geojson,.json,application/geo+json,application/json"
              maxCount={1}
              showUploadList={false}
              beforeUpload={(f) => {
                void f.text().then((text) => {
                  const r = parseCollection(text);
                  if (r.ok) {
                    setFile({ name: f.name, body: r.body });
                    setProblem(undefined);
                  } else {
                    setFile(undefined);
                    setProblem(t(`boundaries.problem.${r.problem}`));
                  }
                });
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{file ? file.name : t('boundaries.drop')}</p>
              <p className="ant-upload-hint">{file ? t('boundaries.featureCount', { count: file.body.features.length }) : t('boundaries.hint')}</p>
            </Upload.Dragger>
            {problem ? <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} /> : null}
          </>
        ) : null}
        {result ? (
          <>
            <Alert
              type={result.unmatched.length ? 'warning' : 'success'}
              showIcon
              title={t('boundaries.result', { updated: result.updated, unmatched: result.unmatched.length })}
              style={{ marginBottom: 12 }}
              data-testid="boundaries-result"
            />
            {result.unmatched.length ? (
              <Table
                size="small"
                rowKey="index"
                dataSource={result.unmatched}
                pagination={{ pageSize: 8, hideOnSinglePage: true }}
                columns={[
                  { title: t('boundaries.featureNo'), dataIndex: 'index', width: 90, render: (v: number) => v + 1 },
                  { title: t('region.code'), dataIndex: 'code', width: 200 },
                  { title: t('boundaries.reason'), dataIndex: 'reason' },
                ]}
              />
            ) : null}
          </>
        ) : null}
      </div>
    </Modal>
  );
}
