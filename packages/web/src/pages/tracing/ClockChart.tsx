import type { ClockSummary } from '@gridline/shared';
import ReactECharts from 'echarts-for-react';
import { useTranslation } from 'react-i18next';

/** The share of cases that met 24 h, per day of confirmation (its own lazy chunk, with ECharts). */
export default function ClockChart({ days }: { days: ClockSummary['days'] }) {
  const { t } = useTranslation();
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 40, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [
      { name: t('tracing.clock.met'), type: 'bar', stack: 'n', data: days.map((d) => d.met), itemStyle: { color: '#52c41a' } },
      { name: t('tracing.clock.missed'), type: 'bar', stack: 'n', data: days.map((d) => d.missed), itemStyle: { color: '#ff4d4f' } },
      { name: t('tracing.clock.running'), type: 'bar', stack: 'n', data: days.map((d) => d.running), itemStyle: { color: '#bfbfbf' } },
      { name: t('tracing.clock.share'), type: 'line', yAxisIndex: 1, data: days.map((d) => (d.met + d.missed ? Math.round((100 * d.met) / (d.met + d.missed)) : null)) },
    ],
  };
  return <ReactECharts option={option} style={{ height: 240, width: '100%' }} />;
}
