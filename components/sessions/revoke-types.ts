export interface RevokeTarget {
  sessionId: string;
  userLabel: string;
  deviceLabel: string;
  /** False when the user is known to have no email: "Tell the user" is then offered disabled. */
  hasEmail?: boolean;
}

export interface RevokeInput {
  reason: string;
  reasonCode: string;
  ticket?: string;
  notify?: { message: string };
}
