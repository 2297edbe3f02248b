import type { PerformanceReport } from '@gridline/shared';
import ReactECharts from 'echarts-for-react';
import { useTranslation } from 'react-i18next';

/** The three rates per period (lines) and dispatched whistles (bars); a separate chunk, loaded only on this page. */
export default function PerformanceCharts({ report, height = 320 }: { report: PerformanceReport; height?: number }) {
  const { t } = useTranslation();
  const rows = report.byPeriod;
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: rows.map((r) => r.name) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: t('performance.fields.dispatched'), type: 'bar', yAxisIndex: 1, data: rows.map((r) => r.dispatched), itemStyle: { color: '#d9d9d9' } },
      { name: t('performance.rates.response'), type: 'line', connectNulls: true, data: rows.map((r) => pct(r.responseRate)) },
      { name: t('performance.rates.resolution'), type: 'line', connectNulls: true, data: rows.map((r) => pct(r.resolutionRate)) },
      { name: t('performance.rates.satisfaction'), type: 'line', connectNulls: true, data: rows.map((r) => pct(r.satisfactionRate)) },
    ],
  };
  return <ReactECharts option={option} style={{ height }} notMerge data-testid="performance-chart" />;
}
