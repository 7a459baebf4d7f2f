// One file's row: name, size, where it runs and why, a progress bar with percent, rows,
// rate and ETA, the state as text, cancel and move buttons, and the error when it failed.
import { isFinal, phaseEta, phaseFraction, phaseRate, type Job } from '../jobs/job';
import { h, setAttr } from '../dom';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate } from './format';

export interface RowActions {
  select(job: Job): void;
  cancel(job: Job): void;
  move(job: Job): void;
}

export interface RowContext { canMove: boolean; serverConnected: boolean; selected: boolean }

const STATE_TEXT: Record<Job['state'], string> = {
  queued: 'queued', uploading: 'uploading', parsing: 'parsing', done: 'done', failed: 'failed', cancelled: 'cancelled',
};

export class JobRow {
  readonly element: HTMLLIElement;
  private readonly nameButton: HTMLButtonElement;
  private readonly where: HTMLElement;
  private readonly state: HTMLElement;
  private readonly progress: HTMLProgressElement;
  private readonly percent: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly rate: HTMLElement;
  private readonly eta: HTMLElement;
  private readonly note: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly moveButton: HTMLButtonElement;
  private error: HTMLElement | null = null;

  constructor(private readonly job: Job, actions: RowActions) {
    this.nameButton = h('button', { type: 'button', class: 'job-name', title: job.name }, job.name);
    this.where = h('span', { class: 'job-where' });
    this.state = h('span', { class: 'job-state' });
    this.progress = h('progress', { class: 'job-progress', max: 100, value: 0, 'aria-label': `Progress of ${job.name}` });
    this.percent = h('span', { class: 'job-percent' });
    this.rows = h('span', { class: 'job-rows' });
    this.rate = h('span', { class: 'job-rate' });
    this.eta = h('span', { class: 'job-eta' });
    this.note = h('p', { class: 'job-note' });
    this.cancelButton = h('button', { type: 'button', class: 'job-cancel', 'aria-label': `Cancel ${job.name}` }, 'Cancel');
    this.moveButton = h('button', { type: 'button', class: 'job-move' });
    this.element = h('li', { class: 'job', 'data-testid': 'job-row', 'data-job-id': job.id, 'data-name': job.name },
      h('div', { class: 'job-head' },
        this.nameButton,
        h('span', { class: 'job-size' }, formatBytes(job.size)),
        this.state),
      this.where,
      h('div', { class: 'job-bar' }, this.progress, this.percent),
      h('div', { class: 'job-stats' }, this.rows, this.rate, this.eta),
      this.note,
      h('div', { class: 'job-actions' }, this.moveButton, this.cancelButton));

    this.element.addEventListener('click', (event) => {
      if ((event.target as Element).closest('.job-cancel, .job-move')) return;
      actions.select(this.job);
    });
    this.cancelButton.addEventListener('click', () => actions.cancel(this.job));
    this.moveButton.addEventListener('click', () => actions.move(this.job));
  }

  update(context: RowContext): void {
    const job = this.job;
    setAttr(this.element, 'data-host', job.host);
    setAttr(this.element, 'data-state', job.state);
    setAttr(this.element, 'data-job-id', job.id);
    this.element.classList.toggle('selected', context.selected);
    setAttr(this.nameButton, 'aria-pressed', context.selected ? 'true' : 'false');
    this.where.textContent = `${job.host}: ${job.reason}`;
    this.state.textContent = job.cancelling ? 'cancelling…' : STATE_TEXT[job.state];
    this.state.dataset.state = job.state;

    const fraction = phaseFraction(job);
    this.progress.value = Math.round(fraction * 1000) / 10;
    this.percent.textContent = formatPercent(fraction);
    this.rows.textContent = `${formatCount(job.rows)} rows`;
    this.updateRateAndEta(context.serverConnected);

    this.note.textContent = noteFor(job, context.serverConnected);
    this.note.hidden = this.note.textContent === '';

    this.cancelButton.disabled = isFinal(job.state) || job.cancelling;
    this.moveButton.hidden = !context.canMove;
    this.moveButton.textContent = job.host === 'browser' ? 'Run on server' : 'Run in browser';
    setAttr(this.moveButton, 'aria-label', `${this.moveButton.textContent}: ${job.name}`);
    this.updateError();
  }

  private updateRateAndEta(serverConnected: boolean): void {
    const job = this.job;
    if (job.state === 'done' && job.finish) {
      const ms = job.finish.timings.total_ms;
      this.rate.textContent = formatRate(ms > 0 ? (job.size * 1000) / ms : 0);
      this.eta.textContent = `took ${formatDuration(ms)}`;
      return;
    }
    const stalled = job.host === 'server' && (!serverConnected || job.uploadInterrupted);
    if (isFinal(job.state) || job.state === 'queued' || stalled) {
      this.rate.textContent = formatRate(0);
      this.eta.textContent = job.state === 'queued' && job.position !== null ? `position ${job.position + 1} in queue` : 'ETA –';
      return;
    }
    this.rate.textContent = formatRate(phaseRate(job));
    const eta = phaseEta(job);
    this.eta.textContent = `ETA ${Number.isNaN(eta) ? '–' : formatDuration(eta)}`;
  }

  private updateError(): void {
    const message = this.job.state === 'failed' && this.job.error ? this.job.error.message : null;
    if (message === null) {
      this.error?.remove();
      this.error = null;
      return;
    }
    if (!this.error) {
      this.error = h('p', { class: 'job-error', role: 'alert' });
      this.note.before(this.error);
    }
    const row = this.job.error!.place?.row;
    const where = row !== undefined && !message.includes(`row ${row}`) ? ` (row ${row})` : '';
    this.error.textContent = `Error (${this.job.error!.code}): ${message}${where}`;
  }
}

function noteFor(job: Job, serverConnected: boolean): string {
  if (isFinal(job.state)) return '';
  if (job.awaitingReplay) return serverConnected ? 'Asking the server how this file is doing…' : 'Waiting for the server to report this file…';
  if (job.host === 'server' && !serverConnected) return 'The server connection is lost; this file goes on when it comes back.';
  if (job.uploadInterrupted && !job.file) {
    return `The upload was interrupted at ${formatBytes(job.uploaded)} of ${formatBytes(job.size)}. Pick ${job.name} again to resume it.`;
  }
  if (job.uploadInterrupted) return 'The upload was interrupted; it resumes when the server answers.';
  return '';
}
