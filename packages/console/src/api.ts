import type { Alert } from '@mirrorwatch/schemas';
import type { AlertFilter } from '@mirrorwatch/schemas/alert-filter';
import { session } from './session';

export type { Alert };
export type AlertStatus = Alert['status'];
export type Platform = Alert['candidate']['platform'];

export const PLATFORMS = [
  'x',
  'facebook',
  'instagram',
  'whatsapp',
  'telegram',
] as const satisfies readonly Platform[];
// Fails to compile if the contract gains a platform this list lacks.
const everyPlatform: Exclude<Platform, (typeof PLATFORMS)[number]> extends never ? true : false = true;
void everyPlatform;

export const STATUSES = ['open', 'confirmed', 'dismissed'] as const satisfies readonly AlertStatus[];

export type { AlertFilter };

export interface AlertPage {
  alerts: Alert[];
  nextCursor?: string;
}

export interface AuditEntry {
  id: string;
  /** A decision's fields; other audited actions (token changes) bring their own, e.g. action, by, at. */
  fields: {
    alertId?: string;
    decision?: string;
    decidedBy?: string;
    decidedAt?: string;
    note?: string;
    action?: string;
    token?: string;
    role?: string;
    by?: string;
    at?: string;
  };
}

export type Role = 'viewer' | 'moderator' | 'admin';

export interface TokenInfo {
  name: string;
  role: Role;
  createdAt?: string;
  createdBy?: string;
}

/** An answer other than 2xx: the HTTP status and the service's stable error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};

/** What to do when the service stops accepting the token (revoked, expired): sign out. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  token = session.token(),
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    cache: 'no-store',
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && token === session.token()) onUnauthorized();
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? (response.statusText || `HTTP ${response.status}`),
    );
  }
  return parsed as T;
}

export function listAlerts(filter: AlertFilter, cursor?: string, limit = 50): Promise<AlertPage> {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.platform) query.set('platform', filter.platform);
  if (filter.entity) query.set('entity', filter.entity);
  if (filter.minScore !== undefined) query.set('minScore', String(filter.minScore));
  query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  return request('GET', `/v1/alerts?${query}`);
}

export function getAlert(id: string): Promise<Alert> {
  return request('GET', `/v1/alerts/${encodeURIComponent(id)}`);
}

export function decide(id: string, decision: 'confirm' | 'dismiss', note: string): Promise<Alert> {
  return request('POST', `/v1/alerts/${encodeURIComponent(id)}/decision`, {
    decision,
    ...(note.trim() && { note: note.trim() }),
  });
}

export function auditEntries(): Promise<{ entries: AuditEntry[] }> {
  return request('GET', '/v1/audit');
}

export function listTokens(): Promise<{ tokens: TokenInfo[] }> {
  return request('GET', '/v1/tokens');
}

export function createToken(name: string, role: Role): Promise<{ name: string; role: Role; token: string }> {
  return request('POST', '/v1/tokens', { name, role });
}

export function deleteToken(name: string): Promise<void> {
  return request('DELETE', `/v1/tokens/${encodeURIComponent(name)}`);
}

/** The same filter the service applies, for alerts that arrive over the stream. */
export { alertMatchesFilter as matchesFilter } from '@mirrorwatch/schemas/alert-filter';
