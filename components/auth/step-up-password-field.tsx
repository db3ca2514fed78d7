import { TextField } from '@/components/ui/text-field';

/** The console password re-entered before a sensitive action (minting, a mass job): one field, one look. */
export function StepUpPasswordField({
  value,
  onChange,
  hint,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  hint: string;
  error: string | null;
}) {
  return (
    <TextField
      label="Password"
      name="password"
      type="password"
      autoComplete="current-password"
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
      hint={hint}
      error={error}
    />
  );
}
