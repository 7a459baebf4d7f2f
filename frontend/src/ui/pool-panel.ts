// One pool's live numbers (server or browser) from its `pool` messages: totals as data
// attributes and text, and one entry per worker.
import type { PoolEvent, WorkerStatus } from '../protocol';
import { h, setAttr } from '../dom';
import { formatBytes, formatCount } from './format';

export class PoolPanel {
  private readonly summary: HTMLElement;
  private readonly workers: HTMLUListElement;

  constructor(private readonly root: HTMLElement) {
    this.summary = root.querySelector('.pool-summary')!;
    this.workers = root.querySelector('.pool-workers')!;
    this.clear('waiting for the first report');
  }

  show(event: PoolEvent): void {
    const counts = { workers: event.workers, busy: event.busy, queued: event.queued, done: event.done, failed: event.failed };
    for (const [name, value] of Object.entries(counts)) setAttr(this.root, `data-${name}`, value);
    this.summary.textContent = `${event.workers} ${event.workers === 1 ? 'worker' : 'workers'}, ${event.busy} busy, ${event.queued} queued, ${formatCount(event.done)} done, ${formatCount(event.failed)} failed`;
    this.workers.replaceChildren(...event.per_worker.map((w) => this.workerEntry(event, w)));
  }

  clear(why: string): void {
    for (const name of ['workers', 'busy', 'queued', 'done', 'failed']) setAttr(this.root, `data-${name}`, 0);
    this.summary.textContent = why;
    this.workers.replaceChildren();
  }

  private workerEntry(event: PoolEvent, w: WorkerStatus): HTMLLIElement {
    const details = [`${formatCount(w.jobs_done)} ${w.jobs_done === 1 ? 'job' : 'jobs'}`];
    if (event.host === 'server') {
      if (w.pid) details.push(`pid ${w.pid}`);
      details.push(formatBytes(w.rss_bytes), `${w.cpu_seconds.toFixed(1)} s CPU`);
    }
    return h('li', { class: 'worker', 'data-state': w.state, 'data-index': w.index },
      h('span', { class: 'worker-index' }, `#${w.index}`),
      h('span', { class: 'worker-state' }, w.state),
      h('span', { class: 'worker-job' }, w.job ? `job ${w.job}` : ''),
      h('span', { class: 'worker-details' }, details.join(' · ')));
  }
}
