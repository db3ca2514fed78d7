import { CopyButton } from './copy-button';
import { cn } from './cn';

export function IdText({ id, label = 'id', className }: { id: string; label?: string; className?: string }) {
  return (
    <span className={cn('inline-flex max-w-full items-center gap-1 font-mono text-xs', className)}>
      <span className="truncate" title={id}>
        {id}
      </span>
      <CopyButton value={id} label={label} />
    </span>
  );
}
