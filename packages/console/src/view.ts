import type { Alert } from '@mirrorwatch/schemas';

/** What views get from the shell: where to draw, and the live stream. */
export interface Context {
  main: HTMLElement;
  /** Every alert the stream delivers, new or changed. Returns an unsubscribe. */
  onLive(listener: (alert: Alert) => void): () => void;
  /** After the stream reconnects: what happened meanwhile was not streamed. */
  onResumed(listener: () => void): () => void;
  navigate(hash: string): void;
}

export interface View {
  dispose(): void;
  /** A single-key shortcut meant for this view; returns true when handled. */
  shortcut?(key: string, event: KeyboardEvent): boolean;
}
