// The form controls of the settings page. Each control sits inside its <label>, so the label names it
// for screen readers without ids; `testId` is what the browser tests find it by. Callbacks get the
// value already read from the DOM, so a view only says what to save.
import { useState } from 'preact/hooks';

/** A checkbox with its label after it, on a row of its own. */
export function ToggleRow({
  label,
  testId,
  checked,
  onChange,
}: {
  label: string;
  testId: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="check">
      <input
        type="checkbox"
        data-testid={testId}
        checked={checked}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      {label}
    </label>
  );
}

/** A from–to pair of 24-hour times, side by side; `testIdPrefix` gets `-start` and `-end`. */
export function TimeRange({
  startLabel,
  endLabel,
  testIdPrefix,
  start,
  end,
  disabled,
  onChange,
}: {
  startLabel: string;
  endLabel: string;
  testIdPrefix: string;
  start: string;
  end: string;
  disabled: boolean;
  onChange: (change: { start: string } | { end: string }) => void;
}) {
  return (
    <div class="row-inline">
      <TimeField
        label={startLabel}
        testId={`${testIdPrefix}-start`}
        value={start}
        disabled={disabled}
        onChange={(time) => onChange({ start: time })}
      />
      <TimeField
        label={endLabel}
        testId={`${testIdPrefix}-end`}
        value={end}
        disabled={disabled}
        onChange={(time) => onChange({ end: time })}
      />
    </div>
  );
}

function TimeField({
  label,
  testId,
  value,
  disabled,
  onChange,
}: {
  label: string;
  testId: string;
  value: string;
  disabled: boolean;
  onChange: (time: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        type="time"
        data-testid={testId}
        value={value}
        disabled={disabled}
        // A cleared time field reads as "": there is no time to save then.
        onChange={(event) => event.currentTarget.value && onChange(event.currentTarget.value)}
      />
    </label>
  );
}

/** A number from `min` to `max` in steps of 1; anything outside that, or not a number, is not passed on. */
export function NumberField({
  label,
  testId,
  min,
  max,
  value,
  disabled,
  onChange,
}: {
  label: string;
  testId: string;
  min: number;
  max: number;
  value: number;
  disabled: boolean;
  onChange: (value: number) => void;
}) {
  return (
    <label>
      {label}
      <input
        type="number"
        data-testid={testId}
        min={min}
        max={max}
        step={1}
        value={value}
        disabled={disabled}
        onChange={(event) => {
          const number = Number(event.currentTarget.value);
          if (Number.isFinite(number) && number >= min && number <= max) onChange(number);
        }}
      />
    </label>
  );
}

export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

/**
 * A drop-down over `options`. `labelHidden` keeps the label for screen readers only, where a legend
 * right above already says the same.
 */
export function SelectField<V extends string>({
  label,
  labelHidden = false,
  testId,
  value,
  options,
  onChange,
}: {
  label: string;
  labelHidden?: boolean;
  testId: string;
  value: V;
  options: readonly SelectOption<V>[];
  onChange: (value: V) => void;
}) {
  return (
    <label>
      {labelHidden ? <span class="visually-hidden">{label}</span> : label}
      <select
        data-testid={testId}
        value={value}
        // The select offers only `options`, so its value is always one of theirs.
        onChange={(event) => onChange(event.currentTarget.value as V)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A button for an action main carries out (open a folder, copy to the clipboard). Disabled while the
 * action runs, so a double click does not do it twice.
 */
export function ActionButton({
  label,
  testId,
  onClick,
}: {
  label: string;
  testId: string;
  onClick: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      data-testid={testId}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void onClick().finally(() => setBusy(false));
      }}
    >
      {label}
    </button>
  );
}
