import { UpstreamText } from '@/components/ui/upstream-text';

/** A write's reason code and ticket; the ticket URL arrives built by the server (ticketUrlFrom). */
export function ReasonTags({
  reasonCode,
  reasonLabel,
  ticket,
  ticketUrl,
  className = '',
}: {
  reasonCode: string | null;
  reasonLabel: string | null;
  ticket: string | null;
  ticketUrl: string | null;
  className?: string;
}) {
  if (!reasonCode && !ticket) return null;
  return (
    <span className={`mt-1 flex flex-wrap items-center gap-2 text-xs ${className}`}>
      {reasonCode ? (
        <span
          data-reason-code={reasonCode}
          className="rounded bg-gray-100 px-1.5 py-0.5 font-medium text-gray-800 dark:bg-gray-800 dark:text-gray-200"
        >
          <UpstreamText value={reasonLabel ?? reasonCode} inline max={60} />
        </span>
      ) : null}
      {ticket ? (
        ticketUrl ? (
          <a
            href={ticketUrl}
            target="_blank"
            rel="noreferrer noopener"
            className="font-mono text-blue-700 underline dark:text-blue-400"
          >
            Ticket {ticket}
          </a>
        ) : (
          <span className="font-mono">Ticket {ticket}</span>
        )
      ) : null}
    </span>
  );
}
