import { runCommand } from './commands.js';

// Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.
runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mirrorwatch: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
