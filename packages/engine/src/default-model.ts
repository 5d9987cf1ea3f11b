import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModel, type ScoringModel } from './scoring/model.js';

/** Where the shipped model lives, beside `src/` and `dist/` alike. */
export const DEFAULT_MODEL_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'models',
  'default-model.json',
);

let cached: ScoringModel | undefined;

/** The model trained on simulated scenarios that ships with the engine (`mirrorwatch train` rebuilds it). */
export function defaultModel(): ScoringModel {
  cached ??= parseModel(JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')));
  return cached;
}
