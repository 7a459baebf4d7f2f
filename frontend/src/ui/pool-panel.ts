// One pool's live numbers (server or browser) from its `pool` messages, and one entry per
// worker naming the file it works on. A host's pool may be shared (the server's serves every
// client): the summary counts this page's files, and gives the host's own totals apart.
import type { HostKind, PoolEvent, WorkerStatus } from '../protocol';
import { h, setAttr } from '../dom';
import { formatBytes, formatCount } from './format';

// This page's files on the host, and the name of the one a worker runs (null: not ours).
export interface PoolContext {
  mine: { running: number; waiting: number; done: number; failed: number };
  fileOn(worker: number): string | null;
}

export class PoolPanel {
  private readonly summary: HTMLElement;
  private readonly workers: HTMLUListElement;
  private last: PoolEvent | null = null;

  constructor(private readonly root: HTMLElement, private readonly host: HostKind) {
    this.summary = root.querySelector('.pool-summary')!;
    this.workers = root.querySelector('.pool-workers')!;
    this.clear('waiting for the first report');
  }

  show(event: PoolEvent, context: PoolContext): void {
    this.last = event;
    this.render(context);
  }

  // Re-renders the last report with this page's current files (a row changed).
  refresh(context: PoolContext): void {
    if (this.last) this.render(context);
  }

  clear(why: string): void {
    this.last = null;
    for (const name of ['workers', 'busy', 'queued', 'done', 'failed']) setAttr(this.root, `data-${name}`, 0);
    this.summary.textContent = why;
    this.workers.replaceChildren();
  }

  private render(context: PoolContext): void {
    const event = this.last!;
    const counts = { workers: event.workers, busy: event.busy, queued: event.queued, done: event.done, failed: event.failed };
    for (const [name, value] of Object.entries(counts)) setAttr(this.root, `data-${name}`, value);
    const m = context.mine;
    for (const [name, value] of Object.entries(m)) setAttr(this.root, `data-mine-${name}`, value);
    const yours = `Your files: ${m.running} running, ${m.waiting} waiting, ${formatCount(m.done)} done, ${formatCount(m.failed)} failed`;
    const pool = `${event.workers} ${event.workers === 1 ? 'worker' : 'workers'}, ${event.busy} busy, ${event.queued} queued`;
    this.summary.replaceChildren(
      h('span', { class: 'pool-mine' }, yours),
      h('span', { class: 'pool-all' }, this.host === 'server'
        ? `Server, for every client: ${pool}, ${formatCount(event.done)} done, ${formatCount(event.failed)} failed`
        : `This browser: ${pool}`));
    this.workers.replaceChildren(...event.per_worker.map((w) => this.workerEntry(w, context)));
  }

  private workerEntry(w: WorkerStatus, context: PoolContext): HTMLLIElement {
    const details = [`${formatCount(w.jobs_done)} ${w.jobs_done === 1 ? 'job' : 'jobs'}`];
    if (this.host === 'server') {
      if (w.pid) details.push(`pid ${w.pid}`);
      details.push(formatBytes(w.rss_bytes), `${w.cpu_seconds.toFixed(1)} s CPU`);
    }
    const busy = w.state === 'busy' || w.job !== '';
    const mine = busy ? context.fileOn(w.index) : null;
    const file = !busy ? '' : mine ?? (this.host === 'server' ? "another client's file" : 'a file');
    return h('li', { class: 'worker', 'data-state': w.state, 'data-index': w.index, 'data-mine': mine !== null ? 'true' : 'false' },
      h('span', { class: 'worker-index' }, `#${w.index}`),
      h('span', { class: 'worker-state' }, w.state),
      h('span', { class: 'worker-job', title: file }, file),
      h('span', { class: 'worker-details' }, details.join(' · ')));
  }
}
