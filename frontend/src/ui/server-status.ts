// The server connection as the page says it: connected (as whom, and what the server is),
// still connecting, asking for an access token, or unreachable; in the last two every file
// runs in this browser.
import type { ServerConnection } from '../server/connection';
import { setAttr } from '../dom';

export function showServerStatus(element: HTMLElement, connection: ServerConnection): void {
  setAttr(element, 'data-connected', connection.connected ? 'true' : 'false');
  element.dataset.status = connection.status;
  element.textContent = statusText(connection);
}

function statusText(connection: ServerConnection): string {
  if (connection.connected) {
    const info = connection.info;
    if (!info) return 'Server connected';
    const who = info.principal ? ` as ${info.principal}` : '';
    return `Server connected${who} (${info.workers} ${info.workers === 1 ? 'worker' : 'workers'}, version ${info.version})`;
  }
  if (connection.status === 'unauthorized') {
    switch (connection.refusal?.kind) {
      case 'withdrawn': return 'This server no longer accepts your access token — files run in this browser until you give another';
      case 'refused': return 'This server did not accept the stored access token — files run in this browser until you give another';
      default: return 'This server asks for an access token — files run in this browser until you give one';
    }
  }
  if (connection.status === 'connecting' && !connection.tried) return 'Connecting to the server…';
  return 'No server reachable: every file runs in this browser.';
}
