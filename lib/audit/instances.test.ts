import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { auditLog, registerConsoleInstance, type AuditActor } from '@/lib/audit';
import { PROCESS_INSTANCE, processInstance } from '@/lib/audit/instances';
import { openTestDb } from '@/lib/testing/pg';

const ADA: AuditActor = { staffId: 'staff_ada', email: 'ada@example.com', role: 'support' };

/** The pid of a process that has exited (the pid is not reused in the few milliseconds the test needs it). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('console instances', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('sqlite', null);
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
  });

  const begin = (instance: { id: string; startedAt: Date }) =>
    auditLog(db, { instance }).begin({
      actor: ADA,
      action: 'session.revoke',
      target: { sessionId: 'sess_1', userId: 'user_1' },
      details: {},
      ctx: { ip: null, userAgent: null },
    });
  const outcomeOf = async (id: string) => (await auditLog(db).unresolved()).find((e) => e.id === id)?.outcome;

  it('gives each process its own id, the configured name first', () => {
    expect(PROCESS_INSTANCE.id).toMatch(new RegExp(`^.+/[^/:]+:${process.pid}:\\d+$`));
    const at = new Date();
    const a = processInstance({ name: 'console-a', host: 'web-1', pid: 100, startedAt: at });
    const b = processInstance({ name: 'console-a', host: 'web-1', pid: 101, startedAt: at });
    expect(a.id).toBe(`console-a/web-1:100:${at.getTime()}`);
    expect(b.id).not.toBe(a.id);
    expect(processInstance({ host: 'web-1', pid: 100, startedAt: at }).id).toMatch(/^web-1\/web-1:100:/);
  });

  it("does not mark a running neighbour's intents unknown when a second process with its name starts", async () => {
    const started = new Date(Date.now() - 60_000);
    // Another live process on this host (this test's own parent), same configured name.
    const neighbour = processInstance({
      name: 'console-a',
      host: 'web-1',
      pid: process.ppid,
      startedAt: started,
    });
    await registerConsoleInstance(db, neighbour);
    const inFlight = await begin(neighbour);
    const me = processInstance({ name: 'console-a', host: 'web-1', pid: process.pid, startedAt: new Date() });
    await registerConsoleInstance(db, me);
    expect(await outcomeOf(inFlight.id)).toBe('pending');
  });

  it("marks a dead process's open intents unknown as soon as a process on its host starts", async () => {
    const started = new Date(Date.now() - 60_000);
    const pid = await deadPid();
    const crashed = processInstance({ name: 'console-a', host: 'web-1', pid, startedAt: started });
    const elsewhere = processInstance({ name: 'console-a', host: 'web-2', pid, startedAt: started });
    await registerConsoleInstance(db, crashed);
    await registerConsoleInstance(db, elsewhere);
    const cutOff = await begin(crashed);
    const otherHost = await begin(elsewhere);
    const me = processInstance({ name: 'console-a', host: 'web-1', pid: process.pid, startedAt: new Date() });
    await registerConsoleInstance(db, me);
    expect(await outcomeOf(cutOff.id)).toBe('unknown');
    // A pid means nothing on another host: that process may well be running.
    expect(await outcomeOf(otherHost.id)).toBe('pending');
  });
});
