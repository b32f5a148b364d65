import { SelectField } from './fields';
import { isRangeKey, RANGES, type RangeKey } from '../lib/periods';

/** The "Period" select of the dashboard and the funnels. */
export function RangePicker({ value, onChange }: { value: RangeKey; onChange: (range: RangeKey) => void }) {
  return (
    <SelectField label="Period" className="field-inline" value={value} onChange={(e) => isRangeKey(e.target.value) && onChange(e.target.value)}>
      {Object.entries(RANGES).map(([key, r]) => (
        <option key={key} value={key}>
          {r.label}
        </option>
      ))}
    </SelectField>
  );
}
