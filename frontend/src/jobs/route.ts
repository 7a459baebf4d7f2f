// Where a new file runs, and the reason the page shows for it.
import type { HostKind } from '../protocol';
import type { ConnectionStatus } from '../server/connection';
import type { RouteMode } from '../settings';
import { formatBytes } from '../ui/format';
import type { Compression } from './compression';

export interface Route { host: HostKind; reason: string }

export const MB = 1048576;

// `compression` is what the file's first bytes say (./compression.ts): the browser reads
// gzip itself, but not zstd, which goes to the server whatever its size. Without a server
// (none reachable, or one that wants a token the page has not given) a zstd file stays in
// the browser, whose worker refuses it with `unsupported`.
export function chooseHost(size: number, mode: RouteMode, thresholdMb: number, server: ConnectionStatus,
  compression: Compression = 'none'): Route {
  if (mode === 'browser') return { host: 'browser', reason: 'chosen by you' };
  if (server === 'unauthorized') return { host: 'browser', reason: 'the server asks for an access token' };
  if (server !== 'connected') return { host: 'browser', reason: 'no server reachable' };
  if (compression === 'zstd') return { host: 'server', reason: 'zstd is decompressed on the server' };
  if (mode === 'server') return { host: 'server', reason: 'chosen by you' };
  const threshold = `${formatNumberMb(thresholdMb)} MB`;
  if (size <= thresholdMb * MB) return { host: 'browser', reason: `${formatBytes(size)} is under the ${threshold} threshold` };
  return { host: 'server', reason: `over the threshold (${formatBytes(size)} > ${threshold})` };
}

function formatNumberMb(mb: number): string {
  return Number.isInteger(mb) ? String(mb) : String(Number(mb.toPrecision(4)));
}
