/**
 * npm run stack -- up     Kafka + Redis in the foreground until Ctrl-C (honours KAFKA_BROKERS / REDIS_URL)
 * npm run stack -- jars   only resolve the Kafka jars (CI cache pre-warming)
 */
import { ensureKafkaJars } from './jars.js';
import { stackOptionsFromEnv, startStack } from './stack.js';

const USAGE = `usage: node --conditions=source --import tsx packages/local-stack/src/cli.ts <command>

  up     start Kafka and Redis in the foreground, print KAFKA_BROKERS / REDIS_URL, stop on Ctrl-C
  jars   resolve the Kafka jars from Maven Central into .cache/ and exit
`;

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function up(): Promise<void> {
  // A signal during startup takes the default path (exit); the started children die with us.
  const stack = await startStack(stackOptionsFromEnv());
  process.stdout.write(`KAFKA_BROKERS=${stack.kafkaBrokers}\nREDIS_URL=${stack.redisUrl}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of STOP_SIGNALS) process.once(s, () => resolve(s));
  });
  process.stderr.write(`[stack] ${signal}: stopping (press Ctrl-C again to kill at once)\n`);
  // The exit hook SIGKILLs whatever is still running, so an impatient second Ctrl-C is safe.
  process.once('SIGINT', () => process.exit(130));
  await stack.stop();
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up':
      await up();
      return 0;
    case 'jars': {
      const jars = await ensureKafkaJars();
      process.stdout.write(`Kafka ${jars.version} jars: ${jars.libsDir}\n`);
      return 0;
    }
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (err) {
  process.stderr.write(`[stack] ${(err as Error).message}\n`);
  process.exitCode = 1;
}
