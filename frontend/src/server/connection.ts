// The WebSocket to the page's own server (/ws beside the page, so it also works under a
// sub-path): protocol v1 hello with a remembered client id and, for a server that wants
// one, the bearer token; validated host messages; and reconnects with a growing back-off
// when the socket closes.
import {
  PROTOCOL_VERSION, ProtocolError, parseHostMessage,
  type ClientMessage, type HostInfo, type HostMessage,
} from '../protocol';
import { loadClientId, saveClientId } from './client-id';
import { forgetToken, loadToken, saveToken } from './token-store';

// unauthorized: the server is there but wants a token it has not been given (see `refusal`).
export type ConnectionStatus = 'connecting' | 'connected' | 'unauthorized' | 'disconnected';

// Why the server says no: no token was sent, the one sent is not one it knows, or the token
// this page was connected with was withdrawn (the server read its token file again).
export interface AuthRefusal { kind: 'missing' | 'refused' | 'withdrawn'; message: string }

// How a token the person gave fared: taken (and then kept), refused with the server's
// reason, or no answer in time.
export type TokenAnswer = { ok: true } | { ok: false; why: 'refused' | 'unreachable'; message: string };

// What the page last learnt of the server's access: 'token' once it asked for one or said
// so in hello, 'unknown' before any answer.
export type AuthMode = 'token' | 'none' | 'unknown';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;
// How long the first attempt may take before files dropped meanwhile run in the browser.
const FIRST_ATTEMPT_MS = 3000;
// How long a token the person gave waits for the server's answer.
const TOKEN_ANSWER_MS = 10000;

interface Candidate { token: string; answer: (answer: TokenAnswer) => void; timer: ReturnType<typeof setTimeout> }

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
  // Set while the status is 'unauthorized'.
  refusal: AuthRefusal | null = null;
  authMode: AuthMode = 'unknown';
  // Counts the sockets that reached hello; an upload stops when its socket is gone.
  generation = 0;
  // The first attempt has connected or failed: later attempts are reconnects.
  tried = false;
  private socket: WebSocket | null = null;
  // The token each unanswered hello on this socket carried, oldest first: the server
  // answers them in order, so each answer says which token it judged.
  private unanswered: string[] = [];
  // This socket got an answer to a hello: the server is there, whatever it said.
  private answered = false;
  private token: string;
  // A token the person gave, kept only once the server takes it.
  private candidate: Candidate | null = null;
  // The token the server withdrew: refused again after the reconnect, it is still withdrawn.
  private withdrawn = '';
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly messageListeners = new Set<(message: HostMessage) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private firstAttempt!: Promise<void>;
  private firstAttemptDone: () => void = () => {};

  constructor(private readonly url: string) {
    this.clientId = loadClientId();
    this.token = loadToken();
    this.newFirstAttempt();
    window.addEventListener('online', () => this.retryNow());
  }

  onMessage(listener: (message: HostMessage) => void): void {
    this.messageListeners.add(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): void {
    this.statusListeners.add(listener);
  }

  // Resolves once the first attempt has connected, been refused or failed (or taken too long).
  settled(): Promise<void> {
    return this.firstAttempt;
  }

  get connected(): boolean {
    return this.status === 'connected';
  }

  get hasToken(): boolean {
    return this.token !== '';
  }

  // The header that lets an HTTP request to the server's /api in: empty without a token.
  authorization(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  connect(): void {
    if (this.socket) return;
    // A server that refused the token is still there while it is asked again.
    if (this.status !== 'unauthorized') this.setStatus('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.closed();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.unanswered = [];
    this.answered = false;
    socket.onopen = () => this.sayHello(this.candidate?.token ?? this.token);
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.received(event.data);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.closed();
    };
  }

  // Offers a token the person gave: on the open socket when the server is waiting for one,
  // else on a new connection. It is kept (and used from then on) once the server takes it.
  tryToken(token: string): Promise<TokenAnswer> {
    this.candidate?.answer({ ok: false, why: 'unreachable', message: 'another token was given meanwhile' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.candidate?.timer !== timer) return;
        this.candidate = null;
        resolve({ ok: false, why: 'unreachable', message: 'the server did not answer' });
      }, TOKEN_ANSWER_MS);
      this.candidate = { token, timer, answer: resolve };
      if (this.status === 'unauthorized' && this.socket?.readyState === WebSocket.OPEN) this.sayHello(token);
      else if (this.status === 'connected' || this.socket) this.restart();
      else this.retryNow();
    });
  }

  // Drops the stored token and connects again without it.
  forgetToken(): void {
    forgetToken();
    this.token = '';
    this.withdrawn = '';
    this.restart();
  }

  // False when there is no open socket to send on, or the server has not taken this page in.
  send(message: ClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    if (message.op !== 'hello' && this.status !== 'connected') return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  sendBinary(frame: Uint8Array): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.status !== 'connected') return false;
    this.socket.send(frame);
    return true;
  }

  private sayHello(token: string): void {
    this.unanswered.push(token);
    this.send({ op: 'hello', v: PROTOCOL_VERSION, client_id: this.clientId, ...(token ? { token } : {}) });
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
    if (message.op === 'error' && message.id === '' && message.code === 'unauthorized') {
      this.refused(message.message);
      return;
    }
    if (message.op === 'hello') this.welcomed(message.client_id, message.server);
    for (const listener of this.messageListeners) listener(message);
  }

  private welcomed(clientId: string, info: HostInfo): void {
    const token = this.unanswered.shift() ?? this.token;
    this.answered = true;
    if (this.candidate && this.candidate.token === token) {
      this.token = token;
      saveToken(token);
      this.settleCandidate({ ok: true });
    }
    this.clientId = clientId;
    saveClientId(clientId);
    this.info = info;
    this.authMode = info.auth === 'token' ? 'token' : 'none';
    this.refusal = null;
    this.withdrawn = '';
    this.retryMs = FIRST_RETRY_MS;
    this.generation++;
    this.tried = true;
    this.setStatus('connected');
    this.firstAttemptDone();
  }

  // The answer to a hello, or (once connected) the token was withdrawn and the server is
  // about to close.
  private refused(message: string): void {
    this.authMode = 'token';
    this.tried = true;
    this.info = null;
    if (this.status === 'connected') {
      this.withdrawn = this.token;
      this.refusal = { kind: 'withdrawn', message };
    } else {
      const token = this.unanswered.shift() ?? '';
      this.answered = true;
      if (this.candidate && this.candidate.token === token) {
        this.settleCandidate({ ok: false, why: 'refused', message });
        // A token that was only tried changes nothing of the stored one's standing.
        this.refusal ??= { kind: this.token === '' ? 'missing' : 'refused', message };
      } else {
        const kind = token === '' ? 'missing' : token === this.withdrawn ? 'withdrawn' : 'refused';
        this.refusal = { kind, message };
      }
    }
    this.retryMs = FIRST_RETRY_MS;
    this.setStatus('unauthorized', true);
    this.firstAttemptDone();
  }

  private settleCandidate(answer: TokenAnswer): void {
    if (!this.candidate) return;
    clearTimeout(this.candidate.timer);
    this.candidate.answer(answer);
    this.candidate = null;
  }

  private closed(): void {
    this.socket = null;
    this.info = null;
    this.tried = true;
    // A socket the server answered with a refusal: it is there and still wants a token.
    if (!(this.status === 'unauthorized' && this.answered)) {
      this.refusal = null;
      this.setStatus('disconnected');
    }
    this.firstAttemptDone();
    const wait = this.retryMs * (0.75 + Math.random() * 0.5);
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, wait);
  }

  // A new first attempt, with the token as it is now.
  private restart(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryMs = FIRST_RETRY_MS;
    this.info = null;
    this.refusal = null;
    this.tried = false;
    this.newFirstAttempt();
    this.setStatus('connecting');
    this.connect();
  }

  private retryNow(): void {
    if (this.socket || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryMs = FIRST_RETRY_MS;
    this.connect();
  }

  private newFirstAttempt(): void {
    this.firstAttempt = new Promise((resolve) => {
      this.firstAttemptDone = resolve;
      setTimeout(resolve, FIRST_ATTEMPT_MS);
    });
  }

  // `again`: listeners hear it even when the status stays (a new refusal to show).
  private setStatus(status: ConnectionStatus, again = false): void {
    if (status === this.status && !again) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
