const KEY = 'mirrorwatch.token';

/**
 * The bearer token lives in sessionStorage: it survives a reload of this tab and disappears with
 * it, and is never written to localStorage or a cookie.
 */
export const session = {
  token(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  save(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
