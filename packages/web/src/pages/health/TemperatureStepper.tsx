import { MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { roundTemperature, TEMPERATURE_MAX_C, TEMPERATURE_MIN_C } from '@gridline/shared';
import { Button, Flex, InputNumber, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const PRESETS = [36.2, 36.5, 36.8, 37.3, 38.0, 38.5, 39.0];

/**
 * Temperature in a few taps: big − / + in tenths, the reading typed when needed, common readings as chips.
 * Readings at or above the protocol's fever threshold turn red.
 */
export function TemperatureStepper(props: { value?: number; onChange?: (v: number) => void; feverThresholdC: number; testId?: string }) {
  const { t } = useTranslation();
  const value = props.value ?? 36.5;
  const set = (v: number) => props.onChange?.(Math.min(TEMPERATURE_MAX_C, Math.max(TEMPERATURE_MIN_C, roundTemperature(v))));
  const fever = value >= props.feverThresholdC;
  return (
    <Flex vertical gap={10} data-testid={props.testId ?? 'temperature'}>
      <Flex align="center" justify="center" gap={12}>
        <Button shape="circle" size="large" icon={<MinusOutlined />} onClick={() => set(value - 0.1)} aria-label={t('health.form.down')} style={{ width: 52, height: 52 }} data-testid="temperature-down" />
        <InputNumber
          value={value}
          min={TEMPERATURE_MIN_C}
          max={TEMPERATURE_MAX_C}
          step={0.1}
          precision={1}
          controls={false}
          inputMode="decimal"
          onChange={(v) => (typeof v === 'number' ? set(v) : undefined)}
          suffix="℃"
          variant="borderless"
          style={{ width: 150, fontSize: 34, fontWeight: 600, color: fever ? '#cf1322' : undefined }}
          styles={{ input: { textAlign: 'center', fontSize: 34, fontWeight: 600, color: fever ? '#cf1322' : undefined } }}
          aria-label={t('health.form.temperature')}
          data-testid="temperature-input"
        />
        <Button shape="circle" size="large" icon={<PlusOutlined />} onClick={() => set(value + 0.1)} aria-label={t('health.form.up')} style={{ width: 52, height: 52 }} data-testid="temperature-up" />
      </Flex>
      <Flex justify="center">
        {fever ? (
          <Tag color="red" data-testid="temperature-fever">{t('health.form.fever', { threshold: props.feverThresholdC })}</Tag>
        ) : (
          <Typography.Text type="secondary">{t('health.form.feverHint', { threshold: props.feverThresholdC })}</Typography.Text>
        )}
      </Flex>
      <Flex gap={6} wrap="wrap" justify="center">
        {PRESETS.map((p) => (
          <Tag.CheckableTag key={p} checked={value === p} onChange={() => set(p)} style={{ fontSize: 15, padding: '4px 10px', border: '1px solid #d9d9d9' }} data-testid={`temperature-preset-${p.toFixed(1)}`}>
            {p.toFixed(1)}
          </Tag.CheckableTag>
        ))}
      </Flex>
    </Flex>
  );
}
