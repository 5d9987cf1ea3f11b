import './styles.css';
import { type Alert, ApiError, request, whenUnauthorized } from './api';
import { byId, duration } from './dom';
import { followAlerts, type LiveState } from './live';
import { session } from './session';
import type { Context, View } from './view';
import { alertView } from './views/alert';
import { auditView } from './views/audit';
import { announceAlert, queueView } from './views/queue';
import { signInView } from './views/signin';
import { tokensView } from './views/tokens';

const main = byId('main');
const nav = byId('nav');
const liveStatus = byId('live-status');
const signOutButton = byId<HTMLButtonElement>('sign-out');
const shortcuts = byId<HTMLDialogElement>('shortcuts');

const liveListeners = new Set<(alert: Alert) => void>();
const resumedListeners = new Set<() => void>();
const streamed = new Set<string>();
let stopLive: (() => void) | undefined;
let view: View | undefined;

const context: Context = {
  main,
  onLive(listener) {
    liveListeners.add(listener);
    return () => liveListeners.delete(listener);
  },
  onResumed(listener) {
    resumedListeners.add(listener);
    return () => resumedListeners.delete(listener);
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
};

function showLiveState(state: LiveState): void {
  liveStatus.dataset.state = state.state;
  liveStatus.textContent =
    state.state === 'live'
      ? 'Live'
      : state.state === 'connecting'
        ? 'Connecting…'
        : state.state === 'waiting'
          ? `Reconnecting in ${duration(state.retryInMs)} (${state.reason})`
          : `Not live (${state.reason})`;
}

/** Hides admin sections from tokens that cannot use them: one probe each, 403 means no. */
async function probeAdmin(token: string): Promise<void> {
  const audit = nav.querySelector<HTMLElement>('[data-nav="audit"]');
  const tokens = nav.querySelector<HTMLElement>('[data-nav="tokens"]');
  try {
    await request('GET', '/v1/audit', undefined, token);
    if (audit) audit.hidden = false;
    if (tokens) tokens.hidden = false;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403) && audit) audit.hidden = false;
  }
}

function startSession(token: string): void {
  session.save(token);
  nav.hidden = false;
  liveStatus.hidden = false;
  signOutButton.hidden = false;
  void probeAdmin(token);
  stopLive = followAlerts({
    url: '/v1/alerts/stream',
    token,
    onState: showLiveState,
    onAlert(alert) {
      announceAlert(alert, streamed.has(alert.id));
      streamed.add(alert.id);
      for (const listener of liveListeners) listener(alert);
    },
    onResumed() {
      for (const listener of resumedListeners) listener();
    },
    onUnauthorized: () => signOut('Your token is no longer accepted. Sign in again.'),
  });
  route();
}

function signOut(notice?: string): void {
  stopLive?.();
  stopLive = undefined;
  session.clear();
  streamed.clear();
  view?.dispose();
  view = undefined;
  nav.hidden = true;
  liveStatus.hidden = true;
  signOutButton.hidden = true;
  for (const item of nav.querySelectorAll<HTMLElement>('[data-nav="audit"], [data-nav="tokens"]'))
    item.hidden = true;
  history.replaceState(null, '', location.pathname);
  signInView(main, startSession, notice);
}

function route(): void {
  const token = session.token();
  if (!token) return;
  view?.dispose();
  const hash = location.hash || '#/queue';
  const alertMatch = /^#\/alerts\/([\w-]+)$/.exec(hash);
  let section = 'queue';
  if (alertMatch?.[1]) view = alertView(context, alertMatch[1]);
  else if (hash === '#/audit') {
    section = 'audit';
    view = auditView(context);
  } else if (hash === '#/tokens') {
    section = 'tokens';
    view = tokensView(context);
  } else view = queueView(context);
  for (const link of nav.querySelectorAll<HTMLElement>('[data-nav]')) {
    if (link.dataset.nav === section && !alertMatch) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${alertMatch ? 'Alert' : TITLES[section]} · Mirrorwatch`;
  // Moving focus to the new heading tells screen-reader users the page changed.
  main.querySelector<HTMLElement>('h1')?.focus();
}

const TITLES: Record<string, string> = { queue: 'Queue', audit: 'Audit trail', tokens: 'Tokens' };

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target) || document.querySelector('dialog[open]')) return;
  if (!session.token()) return;
  if (event.key === '?') {
    event.preventDefault();
    shortcuts.showModal();
    return;
  }
  // Enter on a link or button keeps its own meaning; elsewhere it opens the selected alert.
  if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('a, button'))
    return;
  if (view?.shortcut?.(event.key, event)) event.preventDefault();
});

byId('shortcuts-button').addEventListener('click', () => shortcuts.showModal());
signOutButton.addEventListener('click', () => signOut('Signed out.'));
window.addEventListener('hashchange', route);
whenUnauthorized(() => signOut('Your token is no longer accepted. Sign in again.'));

const saved = session.token();
if (saved) startSession(saved);
else signInView(main, startSession);
