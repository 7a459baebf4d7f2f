// The WebSocket to the page's own server (/ws beside the page, so it also works under a
// sub-path): protocol v1 hello with a remembered client id, validated host messages,
// and reconnects with a growing back-off when the socket closes.
import {
  PROTOCOL_VERSION, ProtocolError, parseHostMessage,
  type ClientMessage, type HostInfo, type HostMessage,
} from '../protocol';
import { loadClientId, saveClientId } from './client-id';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;
// How long the first attempt may take before files dropped meanwhile run in the browser.
const FIRST_ATTEMPT_MS = 3000;

export function webSocketUrl(page: string): string {
  const url = new URL('ws', page);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  return url.href;
}

export class ServerConnection {
  status: ConnectionStatus = 'disconnected';
  clientId: string;
  info: HostInfo | null = null;
  // Counts the sockets that reached hello; an upload stops when its socket is gone.
  generation = 0;
  // The first attempt has connected or failed: later attempts are reconnects.
  tried = false;
  private socket: WebSocket | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly messageListeners = new Set<(message: HostMessage) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly firstAttempt: Promise<void>;
  private firstAttemptDone: () => void = () => {};

  constructor(private readonly url: string) {
    this.clientId = loadClientId();
    this.firstAttempt = new Promise((resolve) => {
      this.firstAttemptDone = resolve;
      setTimeout(resolve, FIRST_ATTEMPT_MS);
    });
    window.addEventListener('online', () => this.retryNow());
  }

  onMessage(listener: (message: HostMessage) => void): void {
    this.messageListeners.add(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): void {
    this.statusListeners.add(listener);
  }

  // Resolves once the first attempt has connected or failed (or taken too long).
  settled(): Promise<void> {
    return this.firstAttempt;
  }

  get connected(): boolean {
    return this.status === 'connected';
  }

  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  connect(): void {
    if (this.socket) return;
    this.setStatus('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.closed();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => this.send({ op: 'hello', v: PROTOCOL_VERSION, client_id: this.clientId });
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.received(event.data);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.closed();
    };
  }

  // False when there is no open socket to send on.
  send(message: ClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  sendBinary(frame: Uint8Array): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  private received(text: string): void {
    let message: HostMessage;
    try {
      message = parseHostMessage(text);
    } catch (error) {
      if (error instanceof ProtocolError) {
        console.warn(`fastthread: ignored a host message: ${error.message}`);
        return;
      }
      throw error;
    }
    if (message.op === 'hello') {
      this.clientId = message.client_id;
      saveClientId(message.client_id);
      this.info = message.server;
      this.retryMs = FIRST_RETRY_MS;
      this.generation++;
      this.tried = true;
      this.setStatus('connected');
      this.firstAttemptDone();
    }
    for (const listener of this.messageListeners) listener(message);
  }

  private closed(): void {
    this.socket = null;
    this.info = null;
    this.tried = true;
    this.setStatus('disconnected');
    this.firstAttemptDone();
    const wait = this.retryMs * (0.75 + Math.random() * 0.5);
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, wait);
  }

  private retryNow(): void {
    if (this.socket || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryMs = FIRST_RETRY_MS;
    this.connect();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
