// Where a process's CPU goes during one piece of work, from V8's sampling profiler (node:inspector).

import { Session } from 'node:inspector/promises';

export interface CpuArea {
  /** A workspace file (`packages/engine/src/…`), a dependency (`ioredis`), or a V8/native entry. */
  area: string;
  /** Share of the samples in which the process was busy, in percent. */
  percent: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

function areaOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (url === '')
    return functionName.startsWith('(') ? functionName : `${functionName || '(anonymous)'} (native)`;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1] as string;
  const workspace = /\/((?:packages|services)\/[^/]+\/src\/.+)$/.exec(url);
  if (workspace) return workspace[1] as string;
  if (url.startsWith('node:')) return url;
  return url.slice(url.lastIndexOf('/') + 1);
}

/** Runs `work` under the sampling profiler; returns its result and the busiest areas (self time). */
export async function profileCpu<T>(
  work: () => Promise<T>,
  top = 10,
): Promise<{ result: T; areas: CpuArea[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    const hits = new Map<string, number>();
    let busy = 0;
    for (const node of profile.nodes as ProfileNode[]) {
      const area = areaOf(node.callFrame);
      if (area === '(idle)') continue;
      busy += node.hitCount ?? 0;
      hits.set(area, (hits.get(area) ?? 0) + (node.hitCount ?? 0));
    }
    const areas = [...hits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, count]) => ({ area, percent: Number(((100 * count) / Math.max(1, busy)).toFixed(1)) }));
    return { result, areas };
  } finally {
    session.disconnect();
  }
}
