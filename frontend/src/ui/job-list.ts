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
          select: (j) => this.controller.select(j.id),
          cancel: (j) => this.controller.cancel(j),
          move: (j) => this.controller.move(j),
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
      serverConnected: this.server.connected,
      selected: this.controller.selectedId === job.id,
    });
    if (this.lastState.get(job.id) !== job.state) {
      this.lastState.set(job.id, job.state);
      const error = job.state === 'failed' && job.error ? `: ${job.error.message}` : '';
      this.announcer.say(`${job.name} ${job.state}${error}`);
    }
  }

  updateAll(): void {
    for (const job of this.controller.jobs) this.update(job);
  }
}
