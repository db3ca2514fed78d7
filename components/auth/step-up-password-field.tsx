import { TextField } from '@/components/ui/text-field';

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
