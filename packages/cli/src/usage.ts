export const USAGE = `usage: mirrorwatch <command> [options]

commands:
  simulate [--seed N] [--accounts N] [--out FILE]
      Writes a labelled scenario as JSONL (events and ground truth) to FILE or stdout.
  eval [--seed N] [--accounts N] [--model FILE] [--report FILE]
      Replays a fresh simulated scenario through the engine, writes an HTML report
      (default reports/eval-<seed>.html) and prints a one-line JSON summary last.
  train [--seeds N,N,...] [--accounts N] [--out FILE] [--version V]
      Estimates the scoring model from simulated scenarios and writes it as JSON
      (default: the engine's default model).
  train --from-labels --out FILE [--base FILE] [--version V] [--redis-url URL] [--redis-prefix P]
      Refines the base model (default: the shipped one) with every moderator decision the
      alerts service stored, and writes the new version; REDIS_URL / REDIS_KEY_PREFIX by default.
  shadow-report [--redis-url URL] [--redis-prefix P]
      Sums up where the matcher's shadow model (SHADOW_MODEL_PATH) and the live one disagreed.
  pdq <image>
      Prints the PDQ hash (64 hex) and quality (0-100) of a JPEG or PNG.
  import FILE [--url URL] [--platform P] [--entity E] [--reason R] [--as ban|report --source S]
              [--format csv|jsonl] [--batch N] [--state FILE] [--retries N]
      Sends already-removed accounts (CSV or JSONL) through ingest as signed account.banned
      events, or as reports for review with --as report; resumable. See: mirrorwatch import --help
`;

export class UsageError extends Error {}
