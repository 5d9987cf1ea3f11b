import type { Event, Platform } from '@mirrorwatch/schemas';

export interface SimulationOptions {
  seed: number;
  /** Accounts in the scenario: banned, mirrors and benign together. */
  accounts: number;
  start?: Date;
  /** Share of accounts that are mirrors of a banned account. */
  mirrorShare?: number;
  /** Share of accounts that get banned. */
  bannedShare?: number;
  /** Share of benign accounts that are hard negatives (journalists, namesakes, fans, shared NAT…). */
  hardNegativeShare?: number;
}

export interface SimulatedEvent {
  platform: Platform;
  event: Event;
}

export type Timing = 'after-ban' | 'backup-before-ban' | 'renamed-later';

export interface AccountLabel {
  /** `platform:accountId` */
  account: string;
  kind: 'banned' | 'mirror' | 'benign';
  /** The group, for banned accounts and mirrors. */
  entity?: string;
  /** The banned account a mirror descends from. */
  parent?: string;
  /** Evasion tactics a mirror used, or what makes a benign account a hard negative. */
  tactics: string[];
  timing?: Timing;
  hardNegative?: string;
  /** A banned account whose appeal was won. */
  reinstated?: boolean;
}

export interface Scenario {
  events: SimulatedEvent[];
  labels: AccountLabel[];
  options: Required<Omit<SimulationOptions, 'start'>> & { start: string };
}
