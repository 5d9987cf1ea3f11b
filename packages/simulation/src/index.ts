export { keptApart } from './apart.js';
export { parseScenarioJsonl, scenarioJsonl } from './format.js';
export { simulate } from './generate.js';
export type { AccountLabel, Scenario, SimulatedEvent, SimulationOptions, Timing } from './model.js';
export { Random } from './random.js';
