import {
  type Alert,
  type AlertFilter,
  type AlertStatus,
  ApiError,
  listAlerts,
  matchesFilter,
  PLATFORMS,
  type Platform,
  STATUSES,
} from '../api';
import { handleView, message, scoreText, statusBadge } from '../components';
import { announce, duration, h } from '../dom';
import type { Context, View } from '../view';

// Kept across visits so returning from an alert finds the queue as it was left.
let filter: AlertFilter = { status: 'open' };
let selectedId: string | undefined;

const PAGE_SIZE = 50;

export function queueView(ctx: Context): View {
  let alerts: Alert[] = [];
  let nextCursor: string | undefined;
  let loading = false;
  const fresh = new Set<string>();

  const platform = h(
    'select',
    { id: 'filter-platform', name: 'platform' },
    h('option', { value: '' }, 'any platform'),
    ...PLATFORMS.map((value) => h('option', { value, selected: filter.platform === value }, value)),
  );
  const entity = h('input', {
    id: 'filter-entity',
    name: 'entity',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    value: filter.entity ?? '',
  });
  const minScore = h('input', {
    id: 'filter-min-score',
    name: 'minScore',
    type: 'number',
    min: 0,
    max: 1,
    step: 0.05,
    inputmode: 'decimal',
    value: filter.minScore ?? '',
  });
  const status = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'any status'),
    ...STATUSES.map((value) => h('option', { value, selected: filter.status === value }, value)),
  );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
    h('div', { class: 'field' }, h('label', { for: 'filter-platform' }, 'Platform'), platform),
    h('div', { class: 'field' }, h('label', { for: 'filter-entity' }, 'Entity'), entity),
    h('div', { class: 'field' }, h('label', { for: 'filter-min-score' }, 'Minimum score'), minScore),
    h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), status),
    h('div', { class: 'field field-actions' }, h('button', { type: 'submit' }, 'Apply filters')),
  );
  const summary = h('p', { class: 'queue-summary', id: 'queue-summary' });
  const feedback = h('div', { class: 'feedback' });
  const list = h('ol', {
    class: 'queue',
    id: 'queue',
    'aria-labelledby': 'queue-title',
    'aria-describedby': 'queue-summary',
  });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Load more');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const score = minScore.value.trim() === '' ? undefined : Number(minScore.value);
    if (score !== undefined && !(score >= 0 && score <= 1)) {
      feedback.replaceChildren(message('error', 'Minimum score is a number from 0 to 1.'));
      minScore.focus();
      return;
    }
    filter = {
      ...(status.value && { status: status.value as AlertStatus }),
      ...(platform.value && { platform: platform.value as Platform }),
      ...(entity.value.trim() && { entity: entity.value.trim() }),
      ...(score !== undefined && { minScore: score }),
    };
    void load(false);
  });
  for (const select of [platform, status]) select.addEventListener('change', () => form.requestSubmit());
  more.addEventListener('click', () => void load(true));

  ctx.main.replaceChildren(
    h('h1', { id: 'queue-title', tabindex: -1 }, 'Alert queue'),
    form,
    summary,
    feedback,
    list,
    more,
  );

  function describeFilter(): string {
    const parts = [
      filter.status ?? 'any status',
      filter.platform ? `on ${filter.platform}` : undefined,
      filter.entity ? `entity ${filter.entity}` : undefined,
      filter.minScore !== undefined ? `score ≥ ${filter.minScore}` : undefined,
    ].filter(Boolean);
    return parts.join(', ');
  }

  function item(alert: Alert): HTMLLIElement {
    const entities = [...new Set(alert.matches.map((match) => match.entity))].join(', ');
    const best = alert.matches[0];
    const link = h(
      'a',
      { href: `#/alerts/${alert.id}`, class: 'queue-link' },
      h('span', { class: 'queue-handle' }, handleView(alert.candidate.handle)),
      h(
        'span',
        { class: 'queue-meta' },
        `${alert.candidate.platform} · `,
        best ? h('span', {}, 'resembles ', handleView(best.handle), ` (${best.platform}) · `) : null,
        `entity ${entities || '—'} · score ${scoreText(alert.score)} · `,
        `${duration(Date.now() - Date.parse(alert.createdAt))} ago`,
      ),
      statusBadge(alert.status),
      fresh.has(alert.id) ? h('span', { class: 'badge badge-new' }, 'new') : null,
    );
    const li = h('li', { class: 'queue-item', 'data-id': alert.id }, link);
    if (alert.id === selectedId) li.setAttribute('aria-current', 'true');
    link.addEventListener('focus', () => select(alert.id, false));
    return li;
  }

  function render(): void {
    list.replaceChildren(...alerts.map(item));
    if (alerts.length === 0) list.append(h('li', { class: 'queue-empty' }, 'No alerts match these filters.'));
    more.hidden = !nextCursor;
    summary.textContent = `${alerts.length}${nextCursor ? '+' : ''} alert${alerts.length === 1 ? '' : 's'} — ${describeFilter()}. Newest first; new alerts appear here as they arrive.`;
  }

  let restoreFocus = selectedId !== undefined;

  async function load(append: boolean): Promise<void> {
    if (loading) return;
    loading = true;
    list.setAttribute('aria-busy', 'true');
    try {
      const page = await listAlerts(filter, append ? nextCursor : undefined, PAGE_SIZE);
      alerts = append
        ? [...alerts, ...page.alerts.filter((a) => !alerts.some((b) => b.id === a.id))]
        : page.alerts;
      nextCursor = page.nextCursor;
      feedback.replaceChildren();
      render();
      // Back from an alert: the keyboard continues where it left off.
      if (restoreFocus && selectedId) focusItem(selectedId);
      restoreFocus = false;
    } catch (error) {
      const text =
        error instanceof ApiError && error.status === 400
          ? `The service refused these filters: ${error.message}`
          : `Could not load alerts: ${(error as Error).message}`;
      feedback.replaceChildren(message('error', text));
    } finally {
      loading = false;
      list.removeAttribute('aria-busy');
    }
  }

  /** Merges an alert from the stream: new ones go on top, changed ones update in place. */
  function receive(alert: Alert): void {
    const at = alerts.findIndex((known) => known.id === alert.id);
    const wanted = matchesFilter(alert, filter);
    if (at >= 0 && !wanted) {
      alerts.splice(at, 1);
      if (selectedId === alert.id) selectedId = alerts[Math.min(at, alerts.length - 1)]?.id;
    } else if (at >= 0) {
      alerts[at] = alert;
    } else if (wanted) {
      alerts.unshift(alert);
      fresh.add(alert.id);
    } else {
      return;
    }
    const focusedId = document.activeElement?.closest<HTMLElement>('.queue-item')?.dataset.id;
    render();
    // Re-rendering replaced the focused link; give focus back to the same alert.
    if (focusedId) focusItem(focusedId);
  }

  function focusItem(id: string): void {
    list.querySelector<HTMLAnchorElement>(`.queue-item[data-id="${CSS.escape(id)}"] a`)?.focus();
  }

  function select(id: string | undefined, focus = true): void {
    selectedId = id;
    for (const li of list.querySelectorAll<HTMLElement>('.queue-item')) {
      if (li.dataset.id === id) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    if (id && focus) focusItem(id);
  }

  function move(step: number): void {
    if (alerts.length === 0) return;
    const at = alerts.findIndex((alert) => alert.id === selectedId);
    const next = at < 0 ? 0 : Math.max(0, Math.min(alerts.length - 1, at + step));
    select(alerts[next]?.id);
  }

  const stopLive = ctx.onLive(receive);
  const stopResumed = ctx.onResumed(() => {
    // Alerts published while the stream was down: fetch the first page again and merge it.
    void listAlerts(filter, undefined, PAGE_SIZE).then((page) => {
      for (const alert of [...page.alerts].reverse()) receive(alert);
    });
  });
  void load(false);

  return {
    dispose() {
      stopLive();
      stopResumed();
    },
    shortcut(key) {
      if (key === 'j') move(1);
      else if (key === 'k') move(-1);
      else if (key === '/') platform.focus();
      else if (key === 'Enter' && selectedId) ctx.navigate(`#/alerts/${selectedId}`);
      else return false;
      return true;
    },
  };
}

export function announceAlert(alert: Alert, known: boolean): void {
  if (!known && alert.status === 'open') {
    announce(
      `New alert: ${alert.candidate.handle} on ${alert.candidate.platform}, score ${scoreText(alert.score)}.`,
    );
  } else if (known && alert.status !== 'open') {
    announce(`Alert for ${alert.candidate.handle} is now ${alert.status}.`);
  }
}
