import { ApiError, createToken, deleteToken, listTokens, type Role, type TokenInfo } from '../api';
import { message } from '../components';
import { h, time } from '../dom';
import type { Context, View } from '../view';

const ROLES: Role[] = ['viewer', 'moderator', 'admin'];

/**
 * API tokens for admins: list, create (the secret is shown once) and revoke. The service may not
 * offer the token API (404); the page then says so and offers nothing.
 */
export function tokensView(ctx: Context): View {
  const feedback = h('div', { class: 'feedback' });
  const created = h('div', { class: 'created-token' });
  const content = h('div');
  ctx.main.replaceChildren(h('h1', { tabindex: -1 }, 'API tokens'), feedback, created, content);

  const name = h('input', {
    id: 'token-name',
    name: 'name',
    required: true,
    pattern: '[A-Za-z0-9._-]{1,64}',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'token-name-hint',
  });
  const role = h(
    'select',
    { id: 'token-role', name: 'role' },
    ...ROLES.map((value) => h('option', { value, selected: value === 'viewer' }, value)),
  );
  const form = h(
    'form',
    { class: 'token-form', 'aria-labelledby': 'token-form-title' },
    h('h2', { id: 'token-form-title' }, 'New token'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token-name' }, 'Name'),
      name,
      h(
        'small',
        { id: 'token-name-hint' },
        'Letters, digits, dot, dash or underscore: who or what will use it.',
      ),
    ),
    h('div', { class: 'field' }, h('label', { for: 'token-role' }, 'Role'), role),
    h('div', { class: 'field field-actions' }, h('button', { type: 'submit' }, 'Create token')),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      try {
        const answer = await createToken(name.value.trim(), role.value as Role);
        name.value = '';
        showSecret(answer.name, answer.role, answer.token);
        await refresh();
      } catch (error) {
        feedback.replaceChildren(message('error', explain(error, 'create the token')));
      }
    })();
  });

  function showSecret(tokenName: string, tokenRole: Role, secret: string): void {
    const field = h('input', {
      id: 'new-token-secret',
      readonly: true,
      value: secret,
      size: 48,
      spellcheck: 'false',
    });
    const copy = h('button', { type: 'button' }, 'Copy');
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(secret).then(() => {
        copy.textContent = 'Copied';
      });
    });
    created.replaceChildren(
      h(
        'section',
        { class: 'message message-success', role: 'status', 'aria-labelledby': 'new-token-title' },
        h('h2', { id: 'new-token-title' }, `Token for ${tokenName} (${tokenRole})`),
        h(
          'p',
          {},
          'This secret is shown once. Copy it now and hand it over safely; it cannot be shown again.',
        ),
        h('label', { for: 'new-token-secret' }, 'Secret'),
        ' ',
        field,
        ' ',
        copy,
      ),
    );
    field.focus();
    field.select();
  }

  async function remove(token: TokenInfo): Promise<void> {
    if (!window.confirm(`Revoke the token "${token.name}"? Whoever uses it loses access at once.`)) return;
    try {
      await deleteToken(token.name);
      feedback.replaceChildren(message('success', `Token "${token.name}" revoked.`));
    } catch (error) {
      // The list answered, so a 404 here means this token is gone, not the token API.
      const text =
        error instanceof ApiError && error.status === 404
          ? `There is no token "${token.name}" any more; it may have been revoked already.`
          : explain(error, 'revoke the token');
      feedback.replaceChildren(message('error', text));
    }
    await refresh();
  }

  function explain(error: unknown, action: string): string {
    if (error instanceof ApiError) {
      if (error.status === 403) return `Only admins can ${action}.`;
      if (error.status === 404) return 'Token management unavailable: this alerts service has no token API.';
      return `Could not ${action} (${error.status}): ${error.message}`;
    }
    return `Could not ${action}: ${(error as Error).message}`;
  }

  async function refresh(): Promise<void> {
    try {
      const { tokens } = await listTokens();
      content.replaceChildren(
        h(
          'table',
          { class: 'tokens' },
          h('caption', {}, 'Tokens that can use the alert API'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Name', 'Role', 'Created', 'By', ''].map((label, n) =>
                h(
                  'th',
                  { scope: 'col' },
                  n === 4 ? h('span', { class: 'visually-hidden' }, 'Actions') : label,
                ),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            tokens.length === 0
              ? h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No tokens listed.'))
              : null,
            ...tokens.map((token) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, token.name)),
                h('td', {}, token.role),
                h('td', {}, token.createdAt ? time(token.createdAt) : '—'),
                h('td', {}, token.createdBy ?? '—'),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'danger',
                      'aria-label': `Revoke ${token.name}`,
                      onclick: () => void remove(token),
                    },
                    'Revoke',
                  ),
                ),
              ),
            ),
          ),
        ),
        form,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        content.replaceChildren(
          message(
            'info',
            'Token management unavailable: this alerts service does not offer the token API yet. Tokens are set with ALERTS_TOKENS.',
          ),
        );
        return;
      }
      content.replaceChildren(message('error', explain(error, 'list tokens')));
    }
  }

  void refresh();
  return { dispose() {} };
}
