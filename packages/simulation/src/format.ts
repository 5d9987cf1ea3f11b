import { type Event, Platform } from '@mirrorwatch/schemas';
import type { AccountLabel, Scenario } from './model.js';

/** JSON lines: every event (`record: "event"`), then every label, then the options. */
export function* scenarioJsonl(scenario: Scenario): Generator<string> {
  for (const { platform, event } of scenario.events)
    yield JSON.stringify({ record: 'event', platform, event });
  for (const label of scenario.labels) yield JSON.stringify({ record: 'label', label });
  yield JSON.stringify({ record: 'options', options: scenario.options });
}

export function parseScenarioJsonl(lines: Iterable<string>): Scenario {
  const scenario: Scenario = {
    events: [],
    labels: [],
    options: { seed: 0, accounts: 0, start: '', mirrorShare: 0, bannedShare: 0, hardNegativeShare: 0 },
  };
  let number = 0;
  for (const line of lines) {
    number += 1;
    if (!line.trim()) continue;
    const parsed = JSON.parse(line) as {
      record: string;
      platform?: unknown;
      event?: Event;
      label?: AccountLabel;
      options?: Scenario['options'];
    };
    if (parsed.record === 'event' && parsed.event)
      scenario.events.push({ platform: Platform.parse(parsed.platform), event: parsed.event });
    else if (parsed.record === 'label' && parsed.label) scenario.labels.push(parsed.label);
    else if (parsed.record === 'options' && parsed.options) scenario.options = parsed.options;
    else throw new Error(`line ${number}: not an event, label or options record`);
  }
  return scenario;
}
