type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/**
 * Builds an element. Text always goes in as text nodes, never as HTML, so values from alerts
 * (handles, notes, details) cannot inject markup. `on*` attributes that are functions become
 * listeners; `true` sets a boolean attribute and `false`/undefined leaves it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

/** A `<time>` with the machine-readable instant and a local, readable rendering. */
export function time(iso: string): HTMLTimeElement {
  const date = new Date(iso);
  return h(
    'time',
    { datetime: iso, title: iso },
    Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { hour12: false }),
  );
}

/** "4 min", "2 h 5 min", "3 d 1 h": the gap between two instants, for timelines. */
export function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return `${Math.round(Math.abs(ms) / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

let announcer: HTMLElement | undefined;

/** Says something through the polite live region, for screen-reader users. */
export function announce(text: string): void {
  announcer ??= byId('announcer');
  const line = h('p', {}, text);
  announcer.append(line);
  // Keep the region short; what was read stays read.
  while (announcer.childElementCount > 5) announcer.firstElementChild?.remove();
}
