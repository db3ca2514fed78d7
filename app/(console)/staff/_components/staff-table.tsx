'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { RelativeTime } from '@/components/ui/relative-time';
import { manageStaffAction } from '@/app/(console)/staff/actions';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useReasonForm } from '@/components/forms/use-reason-form';
import type { Role } from '@/lib/vocabulary';

export interface StaffRow {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  source: 'password' | 'oidc';
  lastSignInAt: number | null;
  createdAt: number;
  isSelf: boolean;
}

type Op = { op: 'set-role'; role: Role } | { op: 'disable' } | { op: 'enable' } | { op: 'sign-out' };

export function StaffTable({
  rows,
  stepUp,
}: {
  rows: StaffRow[];
  stepUp: { kind: 'password' } | { kind: 'sso'; fresh: boolean };
}) {
  const form = useReasonForm();
  // What the form itself refused (the fields sit above the table, far from the button): shown where answers are.
  const { extras, problem } = form;
  const [password, setPassword] = useState('');
  // One key per change until its answer arrives: a second click on the same change is answered, not redone.
  const manage = useConsoleAction<
    { staffId: string; reason: string; reasonCode: string; ticket?: string; password?: string } & Op,
    unknown
  >(manageStaffAction, { requestKey: true, omit: ['password'], refresh: 'on-success' });
  const { pending } = manage;
  const r = manage.result;
  const result = problem
    ? { ok: false, message: problem, traceId: null }
    : r
      ? r.ok
        ? { ok: true, message: r.message, traceId: null }
        : {
            ok: false,
            message:
              r.fieldErrors?.reason?.[0] ??
              r.fieldErrors?.reasonCode?.[0] ??
              r.fieldErrors?.ticket?.[0] ??
              r.fieldErrors?.password?.[0] ??
              r.message,
            traceId: r.traceId,
          }
      : null;

  function run(staffId: string, op: Op) {
    const sent = form.ready();
    if (!sent) return;
    void manage.run({
      staffId,
      ...sent,
      ...op,
      ...(stepUp.kind === 'password' ? { password } : {}),
    });
    setPassword('');
  }

  return (
    <div className="space-y-3">
      <div className="max-w-md">
        <ReasonCodeFields value={extras} onChange={form.setExtras} />
      </div>
      <ReasonField
        id="staff-reason"
        {...form.reasonProps}
        error={null}
        hint="Recorded in the audit log with each change."
        className="max-w-md"
      />
      <div className="max-w-md">
        {stepUp.kind === 'password' ? (
          <>
            <label htmlFor="staff-password" className="block text-sm font-medium">
              Your password
            </label>
            <input
              id="staff-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              maxLength={1024}
              placeholder="Re-enter it to confirm each change"
              className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950"
            />
          </>
        ) : (
          <SsoStepUpButton fresh={stepUp.fresh} action={stepUpWithSsoAction} />
        )}
      </div>
      <div aria-live="polite">
        {result ? (
          <Alert
            tone={result.ok ? 'success' : 'error'}
            role={result.ok ? 'status' : 'alert'}
            traceId={result.traceId}
          >
            {result.message}
          </Alert>
        ) : null}
      </div>
      <Table caption="Staff members">
        <TableHead labels={['Email', 'Role', 'State', 'Last sign-in', 'Actions']} />
        <TableBody>
          {rows.map((m) => (
            <Tr key={m.id}>
              <Td className="break-all">
                {m.email}
                {m.isSelf ? <span className="ml-2 text-gray-600 dark:text-gray-400">(you)</span> : null}
                {m.source === 'oidc' ? (
                  <span className="ml-2 text-gray-600 dark:text-gray-400">SSO</span>
                ) : null}
              </Td>
              <Td>
                <label className="sr-only" htmlFor={`role-${m.id}`}>
                  Role of {m.email}
                </label>
                <select
                  id={`role-${m.id}`}
                  value={m.role}
                  disabled={m.isSelf || pending}
                  onChange={(e) => run(m.id, { op: 'set-role', role: e.target.value as Role })}
                  className="rounded-md border border-gray-300 bg-white px-2 py-1 dark:border-gray-700 dark:bg-gray-950"
                >
                  <option value="viewer">viewer</option>
                  <option value="support">support</option>
                  <option value="admin">admin</option>
                </select>
              </Td>
              <Td>{m.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Enabled</Badge>}</Td>
              <Td>{m.lastSignInAt ? <RelativeTime at={m.lastSignInAt} /> : 'never'}</Td>
              <Td>
                {m.isSelf ? null : (
                  <div className="flex flex-wrap gap-2">
                    <Button size="sm" disabled={pending} onClick={() => run(m.id, { op: 'sign-out' })}>
                      Sign out everywhere<span className="sr-only"> ({m.email})</span>
                    </Button>
                    <Button
                      size="sm"
                      variant={m.disabled ? 'secondary' : 'danger'}
                      disabled={pending}
                      onClick={() => run(m.id, m.disabled ? { op: 'enable' } : { op: 'disable' })}
                    >
                      {m.disabled ? 'Enable' : 'Disable'}
                      <span className="sr-only"> ({m.email})</span>
                    </Button>
                  </div>
                )}
              </Td>
            </Tr>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
