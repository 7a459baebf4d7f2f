// The page's side of a server that wants an access token: a dialog that asks for one (and
// says plainly when one was refused or withdrawn), the button beside the server status that
// opens it again, and "Forget token" under Settings. The token itself lives with the
// connection (server/token-store.ts); it is never shown again once typed.
import type { ServerConnection } from '../server/connection';
import type { Announcer } from './announcer';
import { h } from '../dom';

// Set for this tab when the person chose to go on without a token, so a reload does not
// ask again; a withdrawn token or a forgotten one asks anyway.
const DISMISSED_KEY = 'fastthread.tokenPromptDismissed';

export interface TokenControls {
  openButton: HTMLButtonElement;   // beside the server status, shown while a token is wanted
  access: HTMLElement;             // the Settings field, shown while a token is stored
  forgetButton: HTMLButtonElement;
}

export class TokenPrompt {
  private readonly dialog: HTMLDialogElement;
  private readonly heading: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly message: HTMLElement;
  private readonly submit: HTMLButtonElement;
  private lastStatus = '';
  private trying = false;

  constructor(private readonly connection: ServerConnection, private readonly announcer: Announcer,
    private readonly controls: TokenControls) {
    this.heading = h('h2', { id: 'token-dialog-title' });
    this.intro = h('p', { id: 'token-dialog-intro', class: 'token-intro' });
    this.input = h('input', {
      id: 'token-input', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'ft_…',
      'aria-describedby': 'token-dialog-message',
    });
    this.message = h('p', { id: 'token-dialog-message', class: 'token-message', role: 'alert', 'data-testid': 'token-message' });
    this.submit = h('button', { type: 'submit', class: 'button primary' }, 'Save and connect');
    const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
    const form = h('form', { class: 'token-form', novalidate: true },
      this.heading,
      this.intro,
      h('p', { class: 'token-where' }, 'Its operator makes one with ', h('code', {}, 'fastthread token add NAME'),
        ' and gives it to you. This browser keeps it for this site only and sends it each time the page connects.'),
      h('div', { class: 'field' }, h('label', { for: 'token-input' }, 'Access token'), this.input),
      this.message,
      h('div', { class: 'token-actions' }, this.submit, cancel),
      h('p', { class: 'muted small token-cancel-note' },
        'Without a token, files run in this browser; the button beside the server status asks again.'));
    this.dialog = h('dialog', {
      class: 'token-dialog', 'aria-labelledby': 'token-dialog-title', 'aria-describedby': 'token-dialog-intro',
      'data-testid': 'token-dialog',
    }, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.offer();
    });
    cancel.addEventListener('click', () => this.dismiss());
    // Escape closes a modal dialog by itself: the same as Cancel.
    this.dialog.addEventListener('cancel', () => setDismissed(true));
    this.dialog.addEventListener('close', () => {
      this.input.value = '';
      if (!controls.openButton.hidden) controls.openButton.focus();
    });
    document.body.append(this.dialog);

    controls.openButton.addEventListener('click', () => this.open());
    controls.forgetButton.addEventListener('click', () => {
      setDismissed(false);
      connection.forgetToken();
      this.announcer.say('The access token is forgotten; the page connects to the server again without it.');
    });
  }

  // Follows the connection: asks when the server starts wanting a token (unless the person
  // said no for this tab and nothing changed), and shows the controls that fit.
  update(): void {
    const { status, refusal } = this.connection;
    const entered = status === 'unauthorized' && this.lastStatus !== 'unauthorized';
    this.lastStatus = status;
    this.controls.openButton.hidden = status !== 'unauthorized';
    this.controls.openButton.textContent = refusal && refusal.kind !== 'missing' ? 'Enter another token' : 'Enter token';
    this.controls.access.hidden = !this.connection.hasToken;
    if (status === 'unauthorized') {
      if (entered && refusal?.kind === 'withdrawn') setDismissed(false);
      if (this.dialog.open && !this.trying) this.describe();
      else if (entered && !isDismissed()) this.open();
    } else if (status === 'connected' && this.dialog.open && !this.trying) {
      // The server took this page in without one (restarted without tokens, say).
      this.dialog.close();
    }
  }

  open(): void {
    this.describe();
    this.message.textContent = '';
    this.message.dataset.kind = '';
    this.setTrying(false);
    if (!this.dialog.open) this.dialog.showModal();
    this.input.focus();
  }

  private describe(): void {
    const refusal = this.connection.refusal;
    switch (refusal?.kind) {
      case 'withdrawn':
        this.heading.textContent = 'This server no longer accepts your access token';
        this.intro.textContent = 'Its operator withdrew the token this browser used. Files that were on the server go on there; to see them and send new ones, enter a new token.';
        break;
      case 'refused':
        this.heading.textContent = 'This server did not accept the stored access token';
        this.intro.textContent = `It said: ${refusal.message}. Enter another token to send files there.`;
        break;
      default:
        this.heading.textContent = 'This server asks for an access token';
        this.intro.textContent = 'Big files go to the server, which lets in only pages that give it a token.';
    }
  }

  private dismiss(): void {
    setDismissed(true);
    this.dialog.close();
  }

  private async offer(): Promise<void> {
    if (this.trying) return;
    const token = this.input.value.trim();
    if (token === '') {
      this.say('error', 'Paste the token first: it starts with ft_.');
      this.input.focus();
      return;
    }
    this.setTrying(true);
    this.say('', 'Connecting with this token…');
    const answer = await this.connection.tryToken(token);
    this.setTrying(false);
    if (answer.ok) {
      setDismissed(false);
      if (this.dialog.open) this.dialog.close();
      const who = this.connection.info?.principal;
      this.announcer.say(`Connected to the server${who ? ` as ${who}` : ''}.`);
      return;
    }
    if (!this.dialog.open) return;
    this.say('error', answer.why === 'refused'
      ? `The server refused this token: ${answer.message}. Check that it was copied whole (ft_ and 64 hex digits), or try another.`
      : `No answer from the server (${answer.message}). Try again in a moment.`);
    this.input.select();
  }

  private say(kind: '' | 'error', text: string): void {
    this.message.dataset.kind = kind;
    this.message.textContent = text;
  }

  private setTrying(trying: boolean): void {
    this.trying = trying;
    this.submit.disabled = trying;
    this.submit.textContent = trying ? 'Connecting…' : 'Save and connect';
  }
}

function isDismissed(): boolean {
  try {
    return sessionStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function setDismissed(dismissed: boolean): void {
  try {
    if (dismissed) sessionStorage.setItem(DISMISSED_KEY, '1');
    else sessionStorage.removeItem(DISMISSED_KEY);
  } catch {
    // Storage disabled: the prompt asks again after a reload.
  }
}
