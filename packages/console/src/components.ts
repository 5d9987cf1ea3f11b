import type { Alert } from '@mirrorwatch/schemas';
import { h } from './dom';
import { handleSummary, segmentHandle } from './handles';

/**
 * A handle with every code point outside printable ASCII made visible: lookalikes highlighted
 * with their code point and script, invisible ones replaced by a marker naming them.
 */
export function handleView(handle: string): HTMLElement {
  const segments = segmentHandle(handle);
  const parts = segments.map((segment) => {
    if (segment.kind === 'plain') return document.createTextNode(segment.text);
    if (segment.kind === 'unusual') {
      const description = `${segment.codePoint} ${segment.script}`;
      return h(
        'mark',
        { class: 'char-unusual', title: description, 'data-codepoint': segment.codePoint },
        segment.text,
        h('span', { class: 'visually-hidden' }, ` (${description})`),
      );
    }
    const description = `invisible ${segment.codePoint} ${segment.name}`;
    return h(
      'span',
      {
        class: 'char-invisible',
        role: 'img',
        title: description,
        'aria-label': description,
        'data-codepoint': segment.codePoint,
      },
      segment.codePoint,
    );
  });
  const { unusual, invisible } = handleSummary(segments);
  const handleElement = h('span', { class: 'handle' }, '@', ...parts);
  if (unusual + invisible === 0) return handleElement;
  const plural = (count: number, what: string) => `${count} ${what} character${count === 1 ? '' : 's'}`;
  const warning = [
    unusual > 0 && plural(unusual, 'non-ASCII'),
    invisible > 0 && plural(invisible, 'invisible'),
  ]
    .filter(Boolean)
    .join(', ');
  return h(
    'span',
    { class: 'handle-wrap' },
    handleElement,
    h('span', { class: 'handle-warning' }, ` ${warning}`),
  );
}

export function statusBadge(status: Alert['status']): HTMLElement {
  return h('span', { class: `badge badge-${status}` }, status);
}

export function scoreText(score: number): string {
  return score.toFixed(3);
}

/** A message region: `alert` for failures a moderator must see, `status` for outcomes. */
export function message(kind: 'error' | 'info' | 'success', text: string | Node): HTMLElement {
  return h('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
