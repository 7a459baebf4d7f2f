// One file's row: name, size, where it runs and why, one progress bar over the whole run
// (upload and parse) with percent, rows, rate and the time left, the state as text, and
// its actions: cancel, move, remove, retry, run again. A finished row says what it holds
// ("done · 10 bad rows"), a failed one why, in words a person can act on.
import { isFinal, remainingMs, currentRate, type Job } from '../jobs/job';
import type { ConnectionStatus } from '../server/connection';
import { h, setAttr } from '../dom';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate } from './format';
import { failureHeadline } from './failure';

export interface RowActions {
  select(job: Job): void;
  showErrors(job: Job): void;
  cancel(job: Job): void;
  move(job: Job): void;
  remove(job: Job): void;
  retry(job: Job): void;
  rerun(job: Job): void;
}

export interface RowContext {
  canMove: boolean; canRunAgain: boolean; server: ConnectionStatus; selected: boolean;
  learnedParseRate: number; heldReason: string;
}

export class JobRow {
  readonly element: HTMLLIElement;
  private readonly nameButton: HTMLButtonElement;
  private readonly where: HTMLElement;
  private readonly state: HTMLElement;
  private readonly badRows: HTMLButtonElement;
  private readonly progress: HTMLProgressElement;
  private readonly percent: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly rate: HTMLElement;
  private readonly eta: HTMLElement;
  private readonly note: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly moveButton: HTMLButtonElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly rerunButton: HTMLButtonElement;
  private readonly removeButton: HTMLButtonElement;
  private error: HTMLElement | null = null;

  constructor(private readonly job: Job, actions: RowActions) {
    this.nameButton = h('button', { type: 'button', class: 'job-name', title: job.name }, job.name);
    this.where = h('span', { class: 'job-where' });
    this.state = h('span', { class: 'job-state' });
    this.badRows = h('button', { type: 'button', class: 'job-bad-rows link', hidden: true });
    this.progress = h('progress', { class: 'job-progress', max: 100, value: 0, 'aria-label': `Progress of ${job.name}` });
    this.percent = h('span', { class: 'job-percent' });
    this.rows = h('span', { class: 'job-rows' });
    this.rate = h('span', { class: 'job-rate' });
    this.eta = h('span', { class: 'job-eta' });
    this.note = h('p', { class: 'job-note' });
    this.cancelButton = h('button', { type: 'button', class: 'job-cancel', 'aria-label': `Cancel ${job.name}` }, 'Cancel');
    this.moveButton = h('button', { type: 'button', class: 'job-move' });
    this.retryButton = h('button', { type: 'button', class: 'job-retry', 'aria-label': `Retry ${job.name}` }, 'Retry');
    this.rerunButton = h('button', {
      type: 'button', class: 'job-rerun', 'aria-label': `Run ${job.name} again with the current settings`,
      title: 'Runs this file again with the settings as they are now (reading options, output format)',
    }, 'Run again');
    this.removeButton = h('button', { type: 'button', class: 'job-remove', 'aria-label': `Remove ${job.name}` }, 'Remove');
    this.element = h('li', { class: 'job', 'data-testid': 'job-row', 'data-job-id': job.id, 'data-name': job.name },
      h('div', { class: 'job-head' },
        this.nameButton,
        h('span', { class: 'job-size' }, formatBytes(job.size)),
        h('span', { class: 'job-status' }, this.state, this.badRows)),
      this.where,
      h('div', { class: 'job-bar' }, this.progress, this.percent),
      h('div', { class: 'job-stats' }, this.rows, this.rate, this.eta),
      this.note,
      h('div', { class: 'job-actions' }, this.moveButton, this.retryButton, this.rerunButton, this.cancelButton, this.removeButton));

    this.element.addEventListener('click', (event) => {
      if ((event.target as Element).closest('.job-actions, .job-bad-rows')) return;
      actions.select(this.job);
    });
    this.badRows.addEventListener('click', () => actions.showErrors(this.job));
    this.cancelButton.addEventListener('click', () => actions.cancel(this.job));
    this.moveButton.addEventListener('click', () => actions.move(this.job));
    this.retryButton.addEventListener('click', () => actions.retry(this.job));
    this.rerunButton.addEventListener('click', () => actions.rerun(this.job));
    this.removeButton.addEventListener('click', () => actions.remove(this.job));
  }

  focus(): void {
    this.nameButton.focus();
  }

  update(context: RowContext): void {
    const job = this.job;
    setAttr(this.element, 'data-host', job.host);
    setAttr(this.element, 'data-state', job.state);
    setAttr(this.element, 'data-job-id', job.id);
    setAttr(this.element, 'data-held', job.held);
    const badRows = job.state === 'done' ? job.finish?.summary.bad_rows ?? 0 : 0;
    setAttr(this.element, 'data-bad-rows', job.state === 'done' ? badRows : null);
    this.element.classList.toggle('selected', context.selected);
    setAttr(this.nameButton, 'aria-pressed', context.selected ? 'true' : 'false');
    this.where.textContent = `${job.host}: ${job.reason}`;
    this.state.textContent = job.cancelling ? 'cancelling…' : job.held ? 'waiting' : job.state;
    this.state.dataset.state = job.held ? 'held' : job.state;
    this.state.dataset.trouble = badRows > 0 ? 'bad-rows' : '';
    this.badRows.hidden = badRows === 0;
    this.badRows.textContent = `${formatCount(badRows)} bad ${badRows === 1 ? 'row' : 'rows'}`;
    setAttr(this.badRows, 'aria-label', `${job.name}: see its ${formatCount(badRows)} bad ${badRows === 1 ? 'row' : 'rows'}`);

    this.progress.value = Math.round(job.shown * 1000) / 10;
    this.percent.textContent = formatPercent(job.shown);
    this.rows.textContent = `${formatCount(job.rows)} rows`;
    this.updateRateAndEta(context);

    this.note.textContent = noteFor(job, context);
    this.note.hidden = this.note.textContent === '';

    const final = isFinal(job.state);
    this.cancelButton.hidden = final;
    this.cancelButton.disabled = job.cancelling;
    this.moveButton.hidden = !context.canMove;
    this.moveButton.textContent = job.host === 'browser' ? 'Run on server' : 'Run in browser';
    setAttr(this.moveButton, 'aria-label', `${this.moveButton.textContent}: ${job.name}`);
    this.retryButton.hidden = !context.canRunAgain || job.state === 'done';
    this.rerunButton.hidden = !context.canRunAgain;
    this.updateError();
  }

  private updateRateAndEta(context: RowContext): void {
    const job = this.job;
    if (job.state === 'done' && job.finish) {
      // The work, not the wait: bytes over the time a worker spent on them.
      const { process_ms: work, queued_ms: queued } = job.finish.timings;
      this.rate.textContent = job.finish.cached ? 'stored result' : formatRate(work > 0 ? (job.size * 1000) / work : 0);
      this.eta.textContent = `took ${formatDuration(work)}${queued >= 1 ? `, after ${formatDuration(queued)} in the queue` : ''}`;
      return;
    }
    const stalled = job.host === 'server' && (context.server !== 'connected' || job.uploadInterrupted);
    if (isFinal(job.state) || stalled) {
      this.rate.textContent = '';
      this.eta.textContent = '';
      return;
    }
    const rate = currentRate(job);
    this.rate.textContent = job.state === 'queued' ? '' : formatRate(rate);
    if (job.state === 'queued') {
      this.eta.textContent = job.position !== null ? `position ${job.position + 1} in the queue` : '';
      return;
    }
    const left = remainingMs(job, context.learnedParseRate);
    if (Number.isFinite(left)) {
      this.eta.textContent = `≈ ${formatDuration(left)} left`;
    } else if (job.state === 'uploading' && job.uploadRate.rate() > 0) {
      // The parse has no speed to go by yet: say what is known, not a number for the whole.
      const upload = ((job.size - job.uploaded) * 1000) / job.uploadRate.rate();
      this.eta.textContent = `upload ≈ ${formatDuration(upload)} left, then the parse`;
    } else {
      this.eta.textContent = 'time left –';
    }
  }

  private updateError(): void {
    const error = this.job.state === 'failed' ? this.job.error : null;
    if (error === null) {
      this.error?.remove();
      this.error = null;
      return;
    }
    if (!this.error) {
      this.error = h('p', { class: 'job-error', role: 'alert' });
      this.note.before(this.error);
    }
    const row = error.place?.row;
    const where = row !== undefined && !error.message.includes(`row ${row}`) ? ` (row ${row})` : '';
    this.error.replaceChildren(
      h('strong', {}, failureHeadline(error.code, error.message)), ' ',
      `${error.message}${where} `, h('code', {}, error.code));
  }
}

function noteFor(job: Job, context: RowContext): string {
  if (isFinal(job.state)) return '';
  if (job.held && !job.file) return `This file had not been sent when the page was reloaded. Pick ${job.name} again to send it.`;
  if (job.held) return `Waiting in this page: ${context.heldReason || 'the server has no room for it yet'}.`;
  const connected = context.server === 'connected';
  if (job.host === 'server' && context.server === 'unauthorized') {
    return 'The server asks for an access token; this file goes on once you give one.';
  }
  if (job.awaitingReplay) return connected ? 'Asking the server how this file is doing…' : 'Waiting for the server to report this file…';
  if (job.host === 'server' && !connected) return 'The server connection is lost; this file goes on when it comes back.';
  if (job.uploadInterrupted && !job.file) {
    return `The upload was interrupted at ${formatBytes(job.uploaded)} of ${formatBytes(job.size)}. Pick ${job.name} again to resume it.`;
  }
  if (job.uploadInterrupted) return 'The upload was interrupted; it resumes when the server answers.';
  return '';
}
