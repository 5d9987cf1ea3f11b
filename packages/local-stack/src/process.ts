import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tailFile } from './logfile.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnManagedOptions {
  /** Short label used in error messages ("kafka", "redis-server", ...). */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended here: a pipe nobody drains would eventually block the child. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles once the child has exited and been reaped. */
  readonly exited: Promise<ExitInfo>;
  exitInfo(): ExitInfo | undefined;
  /**
   * SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves only after the child has
   * exited. Idempotent.
   */
  stop(graceMs: number): Promise<void>;
}

/** Process groups still running, for the synchronous last-chance kill when this process exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous, so there is no grace period here: this only runs when the
  // owner never called stop() (crash, process.exit() in a test runner, forgotten teardown).
  process.on('exit', () => {
    for (const pgid of liveGroups) {
      try {
        killGroup(pgid, 'SIGKILL');
      } catch {
        // Nothing useful can be done while exiting; keep killing the others.
      }
    }
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * 'exit' handlers do not run when this process dies from a signal (SIGKILL from a test runner's
 * timeout, an OOM kill, default SIGINT/SIGTERM handling). The reaper covers that: a tiny shell blocked
 * reading a pipe whose only writer is this process. The kernel closes the pipe however we die, the
 * read returns EOF, and the reaper kills the child's group. It is killed itself when the child exits.
 */
function spawnReaper(pgid: number): ChildProcess {
  const reaper = spawn(
    '/bin/sh',
    ['-c', 'read _; kill -9 -"$1" 2>/dev/null', 'mirrorwatch-reaper', String(pgid)],
    {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  reaper.on('error', () => {});
  const stdin = reaper.stdin as Socket | null;
  stdin?.on('error', () => {});
  // Neither the reaper nor its pipe may keep the event loop alive on their own.
  stdin?.unref();
  reaper.unref();
  return reaper;
}

/**
 * Spawns `command` in its own process group (detached) with output going to `logFile`, so the
 * whole group can be signalled at once and nothing is left behind when this process goes away.
 * Rejects when the command cannot be started at all (ENOENT, EACCES).
 */
export async function spawnManaged(options: SpawnManagedOptions): Promise<ManagedProcess> {
  installExitHook();
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    // The child holds its own duplicate of the descriptor.
    closeSync(fd);
  }

  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  // Later 'error' events (failed kill) must not crash the host; exit is tracked through 'exit'.
  child.on('error', () => {});
  const pid = child.pid!;
  liveGroups.add(pid);
  const reaper = spawnReaper(pid);

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      liveGroups.delete(pid);
      // Stragglers the leader left in its group (if any) go with it.
      killGroup(pid, 'SIGKILL');
      resolve(exit);
    });
  });
  const reaperExited = new Promise<void>((resolve) => {
    if (reaper.exitCode !== null || reaper.signalCode !== null) resolve();
    else reaper.once('exit', () => resolve());
  });
  const stopReaper = async (): Promise<void> => {
    // Ref again so a caller awaiting stop() cannot see the event loop drain before the reaper is gone.
    reaper.ref();
    if (reaper.pid !== undefined) killGroup(reaper.pid, 'SIGKILL');
    await reaperExited;
  };
  void exited.then(stopReaper);

  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number): Promise<void> => {
    stopping ??= (async () => {
      if (exit === undefined) {
        killGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), graceMs);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) killGroup(pid, 'SIGKILL');
        await exited;
      }
      await stopReaper();
    })();
    return stopping;
  };

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    exitInfo: () => exit,
    stop,
  };
}

/** Runs a command to completion (output to `logFile`); throws with the log tail on a non-zero exit. */
export async function runToCompletion(options: SpawnManagedOptions & { what: string }): Promise<void> {
  const proc = await spawnManaged(options);
  const result = await proc.exited;
  await proc.stop(0);
  if (result.code !== 0) {
    throw new Error(
      `${options.what} failed (${describeExit(result)}); output (${options.logFile}):\n${await tailFile(options.logFile)}`,
    );
  }
}

export function describeExit(info: ExitInfo): string {
  return info.signal === null ? `exit code ${info.code}` : `killed by ${info.signal}`;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
