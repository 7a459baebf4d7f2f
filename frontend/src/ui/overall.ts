// The line over the list, as an upload dashboard has it: how many files, how many done and
// failed, one bar for all the work under way and the time it has left.
import { isFinal, currentRate, remainingWork, type Job } from '../jobs/job';
import { h, setAttr } from '../dom';
import { formatCount, formatDuration, formatPercent } from './format';

export class OverallStatus {
  private readonly text: HTMLElement;
  private readonly bar: HTMLProgressElement;
  // The files of the work under way: from the moment one starts with none running, until
  // none is. Those that ended count whole, so the bar only goes back when files are added.
  private readonly batch = new Set<string>();

  constructor(private readonly root: HTMLElement) {
    this.text = h('span', { class: 'overall-text' });
    this.bar = h('progress', { class: 'overall-progress', max: 100, value: 0, 'aria-label': 'Progress of every file' });
    root.replaceChildren(this.text, this.bar);
  }

  show(jobs: Job[]): void {
    const done = jobs.filter((j) => j.state === 'done').length;
    const failed = jobs.filter((j) => j.state === 'failed').length;
    const cancelled = jobs.filter((j) => j.state === 'cancelled').length;
    const live = jobs.filter((j) => !isFinal(j.state));
    for (const [name, value] of Object.entries({ files: jobs.length, done, failed, cancelled, live: live.length })) {
      setAttr(this.root, `data-${name}`, value);
    }
    this.root.hidden = jobs.length === 0;
    const parts = [`${formatCount(jobs.length)} ${jobs.length === 1 ? 'file' : 'files'}`, `${formatCount(done)} done`];
    if (failed) parts.push(`${formatCount(failed)} failed`);
    if (cancelled) parts.push(`${formatCount(cancelled)} cancelled`);
    if (live.length) parts.push(`${formatCount(live.length)} in progress`);
    if (live.length === 0) this.batch.clear();
    for (const j of live) this.batch.add(j.id);
    const batch = jobs.filter((j) => this.batch.has(j.id));
    // Bytes of work left over the speed of all the work going on now (upload and parse
    // count as they do in each row's bar).
    const total = batch.reduce((sum, j) => sum + Math.max(1, j.size) * (j.host === 'server' ? 2 : 1), 0);
    const left = batch.reduce((sum, j) => sum + remainingWork(j), 0);
    const rate = live.reduce((sum, j) => sum + (j.state === 'queued' ? 0 : currentRate(j)), 0);
    if (live.length) {
      const fraction = total > 0 ? 1 - left / total : 0;
      this.bar.hidden = false;
      this.bar.value = Math.round(fraction * 1000) / 10;
      setAttr(this.bar, 'aria-valuetext', formatPercent(fraction));
      parts.push(rate > 0 ? `≈ ${formatDuration((left * 1000) / rate)} left` : 'time left –');
    } else {
      this.bar.hidden = true;
    }
    this.text.textContent = parts.join(' · ');
  }
}
