import { FieldError, type FieldProblem } from './field-error';

/**
 * A labelled number input with its hint and the API's word on it (`error`, from fieldError).
 * The value stays a string while typed, so an empty or half-typed field is the API's to refuse.
 */
export function NumberField(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  error: FieldProblem | null;
  step?: string;
  min?: string;
  max?: string;
  disabled?: boolean;
}) {
  const { id, label, value, onChange, hint, error, step = '1', min, max, disabled } = props;
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={step === '1' ? 'numeric' : 'decimal'}
        step={step}
        min={min}
        max={max}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error !== null}
        aria-describedby={describedBy}
      />
      {hint && (
        <p className="muted small hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** A typed number, or NaN for an empty field: JSON sends it as null, which the API refuses by name for a field that cannot be null (check nullable ones in the form). */
export const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
