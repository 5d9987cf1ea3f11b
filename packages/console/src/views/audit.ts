import { ApiError, type AuditEntry, auditEntries } from '../api';
import { message } from '../components';
import { h, time } from '../dom';
import type { Context, View } from '../view';

// Decisions carry decidedAt/decidedBy; other audited actions (token changes) carry at/by.
const at = (fields: AuditEntry['fields']) => fields.decidedAt ?? fields.at;

/** The newest decisions (the service returns the last 100), searchable by note, person or alert. */
export function auditView(ctx: Context): View {
  let entries: AuditEntry[] = [];
  const search = h('input', { id: 'audit-search', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const summary = h('p', { id: 'audit-summary', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'audit', 'aria-describedby': 'audit-summary' },
    h('caption', {}, 'Decisions and other audited actions, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['When', 'Decision or action', 'By', 'Alert or subject', 'Note'].map((label) =>
          h('th', { scope: 'col' }, label),
        ),
      ),
    ),
    tbody,
  );
  const feedback = h('div');
  ctx.main.replaceChildren(
    h('h1', { tabindex: -1 }, 'Audit trail'),
    h(
      'form',
      {
        role: 'search',
        'aria-label': 'Search the audit trail',
        class: 'filters',
        onsubmit: (event: Event) => event.preventDefault(),
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'audit-search' }, 'Search notes, people and alert ids'),
        search,
      ),
    ),
    summary,
    feedback,
    table,
  );

  function render(): void {
    const needle = search.value.trim().toLowerCase();
    const shown = entries.filter(
      ({ fields }) =>
        !needle ||
        [fields.note, fields.decidedBy, fields.alertId, fields.decision].some((value) =>
          value?.toLowerCase().includes(needle),
        ),
    );
    tbody.replaceChildren(
      ...shown.map(({ id, fields }) =>
        h(
          'tr',
          { 'data-entry': id },
          h('td', {}, at(fields) ? time(at(fields) as string) : '—'),
          h('td', {}, fields.decision ?? fields.action ?? '—'),
          h('td', {}, fields.decidedBy ?? fields.by ?? '—'),
          h(
            'td',
            {},
            fields.alertId
              ? h('a', { href: `#/alerts/${fields.alertId}` }, h('code', {}, fields.alertId))
              : fields.token
                ? `token ${fields.token}${fields.role ? ` (${fields.role})` : ''}`
                : '—',
          ),
          h('td', { class: 'note' }, fields.note || h('span', { class: 'muted' }, 'no note')),
        ),
      ),
    );
    summary.textContent = `${shown.length} of ${entries.length} decisions shown.`;
  }

  search.addEventListener('input', render);
  void auditEntries()
    .then((answer) => {
      entries = answer.entries;
      render();
    })
    .catch((error: unknown) => {
      table.hidden = true;
      feedback.replaceChildren(
        message(
          'error',
          error instanceof ApiError && error.status === 403
            ? 'Only admins can read the audit trail.'
            : `Could not load the audit trail: ${(error as Error).message}`,
        ),
      );
    });

  return {
    dispose() {},
    shortcut(key) {
      if (key !== '/') return false;
      search.focus();
      return true;
    },
  };
}
