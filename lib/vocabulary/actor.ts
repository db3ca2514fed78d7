import type { Role } from './roles';

/** Who did something, as the audit log and the job store record it. */
export interface StaffActor {
  staffId: string;
  email: string;
  role: Role;
}

export function actorOf(staff: { id: string; email: string; role: Role }): StaffActor {
  return { staffId: staff.id, email: staff.email, role: staff.role };
}
