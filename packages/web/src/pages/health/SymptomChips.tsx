import { SYMPTOMS, type Symptom } from '@gridline/shared';
import { Flex, Tag } from 'antd';
import { useHealthLabels } from './healthLabels';

/** Symptoms as large chips: one tap each; none chosen means "no symptoms". */
export function SymptomChips(props: { value?: Symptom[]; onChange?: (v: Symptom[]) => void }) {
  const labels = useHealthLabels();
  const value = props.value ?? [];
  const toggle = (s: Symptom, on: boolean) => props.onChange?.(on ? SYMPTOMS.filter((x) => x === s || value.includes(x)) : value.filter((x) => x !== s));
  return (
    <Flex gap={8} wrap="wrap" data-testid="symptoms">
      {SYMPTOMS.map((s) => (
        <Tag.CheckableTag
          key={s}
          checked={value.includes(s)}
          onChange={(on) => toggle(s, on)}
          style={{ fontSize: 15, padding: '6px 12px', border: '1px solid #d9d9d9', borderRadius: 16 }}
          data-testid={`symptom-${s}`}
        >
          {labels.symptom(s)}
        </Tag.CheckableTag>
      ))}
    </Flex>
  );
}
