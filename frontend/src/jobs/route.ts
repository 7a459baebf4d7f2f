// Where a new file runs, and the reason the page shows for it.
import type { HostKind } from '../protocol';
import type { RouteMode } from '../settings';
import { formatBytes } from '../ui/format';

export interface Route { host: HostKind; reason: string }

export const MB = 1048576;

export function chooseHost(size: number, mode: RouteMode, thresholdMb: number, serverConnected: boolean): Route {
  if (mode === 'browser') return { host: 'browser', reason: 'chosen by you' };
  if (!serverConnected) return { host: 'browser', reason: 'no server reachable' };
  if (mode === 'server') return { host: 'server', reason: 'chosen by you' };
  const threshold = `${formatNumberMb(thresholdMb)} MB`;
  if (size <= thresholdMb * MB) return { host: 'browser', reason: `${formatBytes(size)} is under the ${threshold} threshold` };
  return { host: 'server', reason: `over the threshold (${formatBytes(size)} > ${threshold})` };
}

function formatNumberMb(mb: number): string {
  return Number.isInteger(mb) ? String(mb) : String(Number(mb.toPrecision(4)));
}
