import { ApiError, request } from '../api';
import { message } from '../components';
import { h } from '../dom';

/** Asks for a bearer token and checks it against the API before keeping it. */
export function signInView(main: HTMLElement, onSignedIn: (token: string) => void, notice?: string): void {
  const token = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'token-hint',
  });
  const feedback = h('div', { class: 'feedback' }, notice ? message('info', notice) : null);
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: -1 }, 'Sign in'),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'API token'), token),
    h(
      'p',
      { id: 'token-hint', class: 'hint' },
      'The bearer token an admin gave you. It is kept only in this tab (session storage) until you sign out or close the tab.',
    ),
    submit,
    feedback,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = token.value.trim();
    if (!value) return;
    submit.disabled = true;
    feedback.replaceChildren(message('info', 'Checking the token…'));
    request('GET', '/v1/alerts?limit=1', undefined, value)
      .then(() => onSignedIn(value))
      .catch((error: unknown) => {
        feedback.replaceChildren(
          message(
            'error',
            error instanceof ApiError && error.status === 401
              ? 'That token was not accepted. Check it and try again.'
              : `Could not reach the alert service: ${(error as Error).message}`,
          ),
        );
        token.focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  main.replaceChildren(form);
  token.focus();
}
