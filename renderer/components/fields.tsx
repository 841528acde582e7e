// The window's form controls: the settings page's, and the note and reason fields of the claim's
// decisions. Each control sits inside its <label>, so the label names it for screen readers without
// ids; `testId` is what the browser tests find it by. Callbacks get the value already read from the
// DOM, so a view only says what to save.
import type { ComponentChildren, Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { parseDay } from '../day-text';
import { parseTime } from '../i18n';

/**
 * The value a control saved through main shows: what the user picked, from the moment they pick it
 * until main's value agrees or the save fails. A snapshot already on its way (answering an earlier
 * change) carries the old value and would otherwise flip the control back under the user's pointer.
 * `save` returning nothing (local state, set at once) leaves nothing pending.
 */
/** Sets local state at once, or saves through main and resolves whether it was saved. */
type Change<T> = ((next: T) => void) | ((next: T) => Promise<boolean>);

function useSavedValue<T>(value: T, save: Change<T>): [T, (next: T) => void] {
  const [pending, setPending] = useState<{ value: T } | null>(null);
  // Main's value moved: it now says what the control shows, whichever change it answers.
  useEffect(() => setPending(null), [value]);
  const change = (next: T) => {
    const saving = save(next);
    if (!(saving instanceof Promise)) return;
    setPending({ value: next });
    void saving.then((saved) => {
      if (!saved) setPending(null);
    });
  };
  return [pending ? pending.value : value, change];
}

/**
 * A checkbox with its label after it, on a row of its own, saved as soon as it changes (see
 * useSavedValue for what it shows meanwhile).
 */
export function ToggleRow({
  label,
  testId,
  checked,
  onChange,
}: {
  label: string;
  testId: string;
  checked: boolean;
  /** Saves the change; resolves false when it was not saved. */
  onChange: (checked: boolean) => Promise<boolean>;
}) {
  const [shown, change] = useSavedValue(checked, onChange);
  return (
    <label class="check">
      <input
        type="checkbox"
        data-testid={testId}
        checked={shown}
        onChange={(event) => change(event.currentTarget.checked)}
      />
      {label}
    </label>
  );
}

/** A fieldset switched on and off by the toggle on its first row; the controls under it follow `enabled`. */
export function ToggledFieldset({
  legend,
  label,
  testId,
  enabled,
  onToggle,
  children,
}: {
  legend: string;
  label: string;
  testId: string;
  enabled: boolean;
  /** Saves the change; resolves false when it was not saved. */
  onToggle: (enabled: boolean) => Promise<boolean>;
  children: ComponentChildren;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <ToggleRow label={label} testId={testId} checked={enabled} onChange={onToggle} />
      {children}
    </fieldset>
  );
}

/**
 * A from–to pair of 24-hour times, side by side; `testIdPrefix` gets `-start` and `-end`. `hint` says
 * the format (tooltip), `invalid` is shown under a field holding something that is not a time.
 */
export function TimeRange({
  startLabel,
  endLabel,
  hint,
  invalid,
  testIdPrefix,
  start,
  end,
  disabled,
  onChange,
}: {
  startLabel: string;
  endLabel: string;
  hint: string;
  invalid: string;
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
        hint={hint}
        invalid={invalid}
        testId={`${testIdPrefix}-start`}
        value={start}
        disabled={disabled}
        onChange={(time) => onChange({ start: time })}
      />
      <TimeField
        label={endLabel}
        hint={hint}
        invalid={invalid}
        testId={`${testIdPrefix}-end`}
        value={end}
        disabled={disabled}
        onChange={(time) => onChange({ end: time })}
      />
    </div>
  );
}

/**
 * A 24-hour `HH:MM` time as plain text. Not `<input type="time">`: that one shows the browser's or the
 * OS's clock (10:00 PM, 下午10:00) whatever the window's language, and Chromium and Electron differ.
 */
function TimeField(props: Omit<ParsedTextFieldProps, 'parse' | 'width' | 'pattern'>) {
  return <ParsedTextField {...props} parse={parseTime} width={5} pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]" />;
}

interface ParsedTextFieldProps {
  label: string;
  hint: string;
  invalid: string;
  testId: string;
  value: string;
  disabled?: boolean;
  /** The value in its one written form ("9:30" → "09:30"), or null when `text` is not one. */
  parse: (text: string) => string | null;
  /** Characters: the field's size and its longest input. */
  width: number;
  pattern: string;
  onChange: (value: string) => void;
}

/**
 * A short numeric value typed as text (a time, a day) in a form that reads the same in every language.
 * A complete value is passed on as soon as it is typed; anything else waits, and is flagged on leaving.
 */
function ParsedTextField({
  label,
  hint,
  invalid,
  testId,
  value,
  disabled = false,
  parse,
  width,
  pattern,
  onChange,
}: ParsedTextFieldProps) {
  // What is typed, kept apart from `value`: a snapshot arriving mid-typing must not overwrite "21:3".
  const [draft, setDraft] = useState(value);
  const [flagged, setFlagged] = useState(false);
  useEffect(() => {
    setDraft(value);
    setFlagged(false);
  }, [value]);
  const errorId = `${testId}-error`;
  return (
    <label>
      {label}
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
        size={width}
        maxLength={width}
        pattern={pattern}
        data-testid={testId}
        title={hint}
        value={draft}
        disabled={disabled}
        aria-invalid={flagged}
        aria-describedby={flagged ? errorId : undefined}
        onInput={(event) => {
          const text = event.currentTarget.value;
          setDraft(text);
          const parsed = parse(text);
          if (parsed !== null) {
            setFlagged(false);
            if (parsed !== value) onChange(parsed);
          }
        }}
        onBlur={() => {
          const parsed = parse(draft);
          if (parsed === null) setFlagged(true);
          // Shown as it is saved ("9:30" becomes "09:30").
          else setDraft(parsed);
        }}
      />
      {flagged && (
        <span id={errorId} class="field-error" role="alert" data-testid={errorId}>
          {invalid}
        </span>
      )}
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

/** One line of text, passed on when the user commits it (Enter or leaving the field), not per keystroke. */
export function TextField({
  label,
  hint,
  testId,
  value,
  placeholder,
  onChange,
}: {
  label: string;
  hint: string;
  testId: string;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        type="url"
        data-testid={testId}
        value={value}
        placeholder={placeholder}
        spellcheck={false}
        autocomplete="off"
        onChange={(event) => onChange(event.currentTarget.value.trim())}
      />
      <span class="muted small">{hint}</span>
    </label>
  );
}

/**
 * A calendar day as plain text `YYYY-MM-DD`, not before `min`. Not `<input type="date">`: that one shows
 * the browser's or the OS's date format (12/09/2026) whatever the window's language.
 */
export function DateField({
  min,
  ...props
}: Omit<ParsedTextFieldProps, 'parse' | 'width' | 'pattern' | 'disabled'> & { min: string }) {
  return (
    <ParsedTextField
      {...props}
      parse={(text) => parseDay(text, min)}
      width={10}
      pattern="\d{4}-\d{2}-\d{2}"
    />
  );
}

/**
 * A keyboard shortcut in Electron's accelerator syntax, checked as typed (`isValid`) and passed on
 * only when valid; an invalid one says why under the field.
 */
export interface ShortcutFieldProps {
  label: string;
  testId: string;
  /** Tooltip and placeholder: an example shortcut. */
  hint: string;
  /** Shown under the field while what is typed is not a shortcut. */
  invalid: string;
  value: string;
  disabled: boolean;
  isValid: (text: string) => boolean;
  onChange: (value: string) => void;
}

export function ShortcutField(props: ShortcutFieldProps) {
  const [text, setText] = useState(props.value);
  const [wrong, setWrong] = useState(false);
  useEffect(() => setText(props.value), [props.value]);
  const commit = (typed: string) => {
    const next = typed.trim();
    const valid = props.isValid(next);
    setWrong(!valid);
    if (valid) props.onChange(next);
  };
  return (
    <label>
      {props.label}
      <input
        type="text"
        data-testid={props.testId}
        value={text}
        title={props.hint}
        placeholder={props.hint}
        disabled={props.disabled}
        aria-invalid={wrong}
        onInput={(event) => setText(event.currentTarget.value)}
        onChange={(event) => commit(event.currentTarget.value)}
      />
      {wrong && (
        <span class="error small" role="alert" data-testid={`${props.testId}-invalid`}>
          {props.invalid}
        </span>
      )}
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
  /** See useSavedValue for what the select shows while a save through main is under way. */
  onChange: Change<V>;
}) {
  const [shown, change] = useSavedValue(value, onChange);
  return (
    <label>
      {labelHidden ? <span class="visually-hidden">{label}</span> : label}
      <select
        data-testid={testId}
        value={shown}
        // The select offers only `options`, so its value is always one of theirs.
        onChange={(event) => change(event.currentTarget.value as V)}
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

/** An optional note to go with a decision (a comment on approve, transfer, add approver, resubmit). */
export function NoteField(props: {
  label: string;
  testId: string;
  value: string;
  busy: boolean;
  inputRef?: Ref<HTMLInputElement>;
  onValue: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        ref={props.inputRef}
        type="text"
        data-testid={props.testId}
        maxLength={2000}
        value={props.value}
        disabled={props.busy}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </label>
  );
}

/**
 * The reason a decision needs (reject, return): a textarea that is flagged, with `missingText` under
 * it (`<testId>-error`), while `missing`. `onConfirm`: Ctrl/Cmd+Enter (Enter itself makes a new line).
 */
export function ReasonField(props: {
  label: string;
  testId: string;
  value: string;
  busy: boolean;
  missing: boolean;
  missingText: string;
  inputRef?: Ref<HTMLTextAreaElement>;
  onValue: (value: string) => void;
  onConfirm?: (event: KeyboardEvent) => void;
}) {
  const errorId = `${props.testId}-error`;
  const { onConfirm } = props;
  return (
    <label>
      {props.label}
      <textarea
        ref={props.inputRef}
        data-testid={props.testId}
        maxLength={2000}
        rows={3}
        value={props.value}
        aria-required="true"
        aria-invalid={props.missing}
        aria-describedby={props.missing ? errorId : undefined}
        disabled={props.busy}
        onInput={(event) => props.onValue(event.currentTarget.value)}
        onKeyDown={
          onConfirm &&
          ((event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) onConfirm(event);
          })
        }
      />
      {props.missing && (
        <span id={errorId} class="field-error" role="alert" data-testid={errorId}>
          {props.missingText}
        </span>
      )}
    </label>
  );
}
