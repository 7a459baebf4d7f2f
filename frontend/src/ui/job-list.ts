// The list of rows, one per file, kept in step with the controller's jobs; state changes
// are announced to screen readers.
import type { JobController } from '../jobs/controller';
import type { Job } from '../jobs/job';
import type { ServerConnection } from '../server/connection';
import type { Announcer } from './announcer';
import { JobRow } from './job-row';

export class JobList {
  private readonly rows = new Map<string, JobRow>();
  private readonly lastState = new Map<string, string>();

  constructor(
    private readonly list: HTMLElement,
    private readonly empty: HTMLElement,
    private readonly controller: JobController,
    private readonly server: ServerConnection,
    private readonly announcer: Announcer,
    private readonly onShowErrors: (job: Job) => void,
  ) {}

  render(): void {
    const ids = new Set(this.controller.jobs.map((j) => j.id));
    for (const [id, row] of this.rows) {
      if (!ids.has(id)) {
        row.element.remove();
        this.rows.delete(id);
        this.lastState.delete(id);
      }
    }
    for (const job of this.controller.jobs) {
      let row = this.rows.get(job.id);
      if (!row) {
        row = new JobRow(job, {
          select: (j) => this.controller.select(j.id, true),
          showErrors: (j) => this.onShowErrors(j),
          cancel: (j) => this.controller.cancel(j),
          move: (j) => this.controller.move(j),
          remove: (j) => this.remove(j),
          retry: (j) => this.controller.runAgain(j),
          rerun: (j) => this.controller.runAgain(j, { options: this.controller.currentOptions() }),
        });
        this.rows.set(job.id, row);
        this.list.append(row.element);
        this.lastState.set(job.id, job.state);
      }
      this.update(job);
    }
    this.empty.hidden = this.rows.size > 0;
  }

  update(job: Job): void {
    const row = this.rows.get(job.id);
    if (!row) return;
    row.update({
      canMove: this.controller.canMove(job),
      canRunAgain: this.controller.canRunAgain(job),
      server: this.server.status,
      selected: this.controller.selectedId === job.id,
      learnedParseRate: this.controller.speeds.parseRate(job.host),
      heldReason: this.controller.heldReason(),
    });
    if (this.lastState.get(job.id) !== job.state) {
      this.lastState.set(job.id, job.state);
      const error = job.state === 'failed' && job.error ? `: ${job.error.message}` : '';
      const bad = job.state === 'done' ? job.finish?.summary.bad_rows ?? 0 : 0;
      this.announcer.say(`${job.name} ${job.state}${bad ? ` with ${bad} bad ${bad === 1 ? 'row' : 'rows'}` : ''}${error}`);
    }
  }

  // The focus goes to the next row (or the previous) when a row goes away under it.
  private remove(job: Job): void {
    const at = this.controller.jobs.indexOf(job);
    const next = this.controller.jobs[at + 1] ?? this.controller.jobs[at - 1];
    this.controller.remove(job);
    this.announcer.say(`${job.name} removed`);
    if (next) this.rows.get(next.id)?.focus();
  }

  updateAll(): void {
    for (const job of this.controller.jobs) this.update(job);
  }
}
