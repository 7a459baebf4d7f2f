// The server connection as the page says it: connected (and what the server is), still
// connecting, or unreachable, in which case every file runs in this browser.
import type { ServerConnection } from '../server/connection';
import { setAttr } from '../dom';

export function showServerStatus(element: HTMLElement, connection: ServerConnection): void {
  setAttr(element, 'data-connected', connection.connected ? 'true' : 'false');
  element.dataset.status = connection.status;
  if (connection.connected) {
    const info = connection.info;
    element.textContent = info ? `Server connected (${info.workers} ${info.workers === 1 ? 'worker' : 'workers'}, version ${info.version})` : 'Server connected';
  } else if (connection.status === 'connecting' && !connection.tried) {
    element.textContent = 'Connecting to the server…';
  } else {
    element.textContent = 'No server reachable: every file runs in this browser.';
  }
}
