// The selected job's results: detected format, schema, per-column details, a preview of
// the output's first rows, the bad rows, and downloads of the output and the summary.
// Every finished file opens here, whatever its summary holds (no columns, no rows, only
// bad rows); a failed one says why and offers the ways out that may work.
import type { RunChange } from '../jobs/controller';
import { isFinal, type Job } from '../jobs/job';
import type { ColumnStats, FinishEvent, JobOptions, Summary } from '../protocol';
import { h, setAttr } from '../dom';
import { loadPreview } from '../preview/preview';
import { columnDetail } from './column-detail';
import { encodingHint, failureHeadline, waysOut, type WayOut } from './failure';
import { formatBytes, formatCount, formatDuration } from './format';
import { downloadTicket } from '../server/download-ticket';
import { outputFileName, outputHref, summaryFileName, ticketHref } from './output-link';
import { previewTable } from './preview-table';
import { schemaTable } from './schema-table';

export interface ResultActions {
  canRunAgain(job: Job): boolean;
  runAgain(job: Job, change: RunChange): void;
  currentOptions(): JobOptions;
  serverConnected(): boolean;
  serverAccess: ServerAccess;
}

// What reading a server's output takes: the headers of a request (its bearer token), and
// whether a download link needs a ticket first (the server wants tokens).
export interface ServerAccess {
  headers(): Record<string, string>;
  ticketNeeded(): boolean;
}

export const ERRORS_SECTION_ID = 'result-errors';

export class ResultsView {
  private shownKey = '';
  private summaryUrl: string | null = null;
  private renderToken = 0;

  constructor(private readonly root: HTMLElement, private readonly actions: ResultActions) {
    this.show(null);
  }

  // Re-renders only when the job or its state changed.
  show(job: Job | null): void {
    const key = job ? `${job.id}:${job.runId}:${job.state}:${job.file ? 1 : 0}` : '';
    if (key === this.shownKey && job) return;
    this.shownKey = key;
    this.renderToken++;
    if (this.summaryUrl) URL.revokeObjectURL(this.summaryUrl);
    this.summaryUrl = null;
    setAttr(this.root, 'data-job-id', job?.id ?? '');
    setAttr(this.root, 'data-state', job?.state ?? '');
    const heading = h('h2', { id: 'results-heading' }, job ? `Results: ${job.name}` : 'Results');
    if (!job) {
      this.root.replaceChildren(heading, h('p', { class: 'muted' }, 'Pick a file in the list to see its schema, statistics and a preview of its output.'));
    } else if (job.state === 'done' && job.finish) {
      this.root.replaceChildren(heading, ...this.finished(job, job.finish));
    } else if (job.state === 'failed') {
      this.root.replaceChildren(heading, this.failure(job));
    } else if (isFinal(job.state)) {
      this.root.replaceChildren(heading, h('p', { class: 'muted' }, 'This file was cancelled; nothing of it was kept.'),
        this.wayButtons(job, [{ label: 'Retry', why: '', change: {} }]));
    } else {
      this.root.replaceChildren(heading, h('p', { class: 'muted' }, `This file is ${job.held ? 'waiting to be sent' : job.state}; its results appear here when it is done.`));
    }
  }

  // Brings the results into view and moves the focus there (a person chose a file), or to
  // its bad rows.
  reveal(part: 'top' | 'errors' = 'top'): void {
    const target = part === 'errors' ? this.root.querySelector<HTMLElement>(`#${ERRORS_SECTION_ID}`) ?? this.root : this.root;
    const box = this.root.getBoundingClientRect();
    if (box.top >= 0 && box.top < window.innerHeight / 2 && getComputedStyle(this.root).position === 'sticky') {
      // Beside the list and in view already: only its own scroll moves, not the page's.
      if (target === this.root) this.root.scrollTop = 0;
      else this.root.scrollTop += target.getBoundingClientRect().top - box.top;
    } else {
      target.scrollIntoView({ block: 'start', behavior: 'auto' });
    }
    target.focus({ preventScroll: true });
  }

  private finished(job: Job, finish: FinishEvent): HTMLElement[] {
    const summary = finish.summary;
    // A column the header named but no good row filled carries only its name.
    const all = summary.columns ?? [];
    const columns = all.filter(isProfiled);
    const empty = all.filter((c) => !isProfiled(c));
    const sections: HTMLElement[] = [];
    const trouble = this.trouble(job, summary);
    if (trouble) sections.push(trouble);
    sections.push(this.overview(job, finish), this.downloads(job, finish));
    const schema: HTMLElement[] = [];
    if (columns.length) schema.push(h('div', { class: 'table-scroll' }, schemaTable(columns)));
    else if (!empty.length) schema.push(h('p', { class: 'muted' }, 'No columns.'));
    if (empty.length) {
      schema.push(h('p', { class: 'muted empty-columns' },
        `${columns.length ? 'No good row gave a value to' : 'The header names'} ${empty.length === 1 ? 'this column' : `these ${empty.length} columns`}`,
        `${columns.length ? '' : ', but no good row gave them a value'}: `,
        ...empty.flatMap((c, i) => [i ? ', ' : '', h('code', {}, c.name)])));
    }
    sections.push(section('Schema', ...schema));
    if (columns.length) sections.push(section('Columns', h('div', { class: 'column-details' }, ...columns.map(columnDetail))));
    sections.push(section('Preview', this.preview(finish)));
    const errors = section('Bad rows', errorList(summary));
    errors.id = ERRORS_SECTION_ID;
    errors.tabIndex = -1;
    sections.push(errors);
    return sections;
  }

  // What a done file's numbers may hide, said first: every row bad, or some.
  private trouble(job: Job, summary: Summary): HTMLElement | null {
    if (summary.bad_rows === 0) return null;
    const bad = `${formatCount(summary.bad_rows)} bad ${summary.bad_rows === 1 ? 'row' : 'rows'}`;
    const text = summary.rows === 0
      ? `Every row of this file was bad (${bad}): nothing is in the statistics or the output.`
      : `${bad} of ${formatCount(summary.rows + summary.bad_rows)} were left out of the statistics and the output.`;
    const link = h('a', { href: `#${ERRORS_SECTION_ID}` }, 'See the bad rows');
    link.addEventListener('click', (event) => {
      event.preventDefault();
      this.reveal('errors');
    });
    const hint = encodingHint(job);
    return h('div', { class: 'result-trouble', role: 'note', 'data-testid': 'result-trouble' },
      h('p', {}, text, ' ', link, '.'),
      hint ? this.wayButtons(job, [hint]) : null);
  }

  private failure(job: Job): HTMLElement {
    const error = job.error;
    const row = error?.place?.row;
    const where = error?.place
      ? [row !== undefined ? `row ${row}` : '', error.place.line !== undefined ? `line ${error.place.line}` : '',
        error.place.byte_offset !== undefined ? `byte ${error.place.byte_offset}` : ''].filter(Boolean).join(', ')
      : '';
    const ways = waysOut(job, this.actions.serverConnected());
    // The same run again helps when the trouble was the host's, not the file's.
    if (['timeout', 'worker_crashed', 'io_error', 'busy', 'rate_limited', 'shutting_down', 'not_found', 'out_of_memory'].includes(error?.code ?? '')) {
      ways.push({ label: 'Retry', why: 'The same file and options once more.', change: {} });
    }
    ways.push({
      label: 'Run again with current settings', why: 'With the reading options and output format set above now.',
      change: { options: this.actions.currentOptions() },
    });
    return h('div', { class: 'result-errors result-failure', 'data-testid': 'result-failure' },
      h('p', { class: 'result-failed' }, h('strong', {}, failureHeadline(error?.code ?? '', error?.message ?? '')), ' Nothing of this run was kept.'),
      h('p', {}, error?.message ?? 'The host did not say why.', where ? ` (at ${where})` : '', ' ', h('code', {}, error?.code ?? 'unknown')),
      this.wayButtons(job, ways));
  }

  // Buttons that run the file again with a change; without the file (after a reload) they
  // say how to get it back.
  private wayButtons(job: Job, ways: WayOut[]): HTMLElement {
    const can = this.actions.canRunAgain(job);
    return h('div', { class: 'ways-out' },
      ...ways.map((way) => {
        const button = h('button', { type: 'button', class: 'button way-out', disabled: !can, title: way.why || null }, way.label);
        button.addEventListener('click', () => this.actions.runAgain(job, way.change));
        return h('div', { class: 'way' }, button, way.why ? h('span', { class: 'muted small' }, ` ${way.why}`) : null);
      }),
      can ? null : h('p', { class: 'muted small' }, `This page no longer has the file: pick ${job.name} again to run it.`));
  }

  private overview(job: Job, finish: FinishEvent): HTMLElement {
    const s = finish.summary;
    const f = s.format;
    const dialect: string[] = [];
    if (f) {
      if (typeof f.delimiter === 'string') dialect.push(`delimiter ${JSON.stringify(f.delimiter)}`);
      if (typeof f.header === 'boolean') dialect.push(f.header ? 'with a header' : 'no header');
      if (typeof f.variant === 'string') dialect.push(`${f.variant} log format`);
      if (f.sep_line === true) dialect.push('delimiter from its sep= line');
      if (typeof f.encoding === 'string') dialect.push(f.encoding + (f.bom ? ' with BOM' : ''));
    }
    const format = f
      ? h('div', { class: 'result-format' },
        h('p', {}, h('strong', {}, f.name.toUpperCase()), dialect.length ? ` — ${dialect.join(', ')}` : '',
          h('span', { class: 'confidence' }, ` confidence ${Math.round(f.confidence * 100)}%`)),
        h('p', { class: 'reason' }, f.reason),
        typeof f.encoding_reason === 'string' && h('p', { class: 'reason' }, `Encoding: ${f.encoding_reason}`))
      : h('div', { class: 'result-format' }, 'Format not reported.');
    const where = finish.host === 'server' ? `server worker ${finish.worker}` : `browser worker ${finish.worker}`;
    const facts: [string, string][] = [
      ['rows', formatCount(s.rows)], ['bad rows', formatCount(s.bad_rows)], ['size', formatBytes(job.size)],
      ['ran on', `${where}${finish.cached ? ' (stored result)' : ''}`],
      ['took', `${formatDuration(finish.timings.total_ms)} (queued ${formatDuration(finish.timings.queued_ms)})`],
      ['output', finish.output.format === 'none' ? 'none' : `${finish.output.format}, ${formatBytes(finish.output.bytes)}`],
    ];
    return h('div', { class: 'result-overview' }, format,
      h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  }

  private downloads(job: Job, finish: FinishEvent): HTMLElement {
    this.summaryUrl = URL.createObjectURL(new Blob([JSON.stringify(finish.summary, null, 2)], { type: 'application/json' }));
    const summaryLink = h('a', { class: 'download-summary button', href: this.summaryUrl, download: summaryFileName(job.name) }, 'Download summary JSON');
    if (finish.output.format === 'none' || finish.output.url === '') {
      return h('div', { class: 'result-downloads' }, h('p', { class: 'muted' }, 'No output was asked for (output: none).'), summaryLink);
    }
    const name = outputFileName(job.name, finish.output.format);
    const link = h('a', { class: 'download-output button primary', href: outputHref(finish), download: name }, `Download ${name}`);
    const problem = h('p', { class: 'download-error', role: 'alert', 'data-testid': 'download-error' });
    // Asked at the click, so the link follows the server as it is then (tokens or not).
    if (finish.host === 'server') {
      link.addEventListener('click', (event) => {
        if (!this.actions.serverAccess.ticketNeeded()) return;
        event.preventDefault();
        void this.downloadWithTicket(finish, name, problem);
      });
    }
    return h('div', { class: 'result-downloads' }, link, summaryLink, problem);
  }

  private async downloadWithTicket(finish: FinishEvent, name: string, problem: HTMLElement): Promise<void> {
    const token = this.renderToken;
    problem.textContent = '';
    let url: string;
    try {
      url = await downloadTicket(ticketHref(finish), this.actions.serverAccess.headers());
    } catch (error) {
      if (token === this.renderToken) problem.textContent = `The download could not start: ${error instanceof Error ? error.message : String(error)}.`;
      return;
    }
    const start = h('a', { href: url, download: name, hidden: true });
    document.body.append(start);
    start.click();
    start.remove();
  }

  private preview(finish: FinishEvent): HTMLElement {
    if (finish.output.format === 'none' || finish.output.url === '') {
      return h('p', { class: 'muted' }, 'No output was asked for, so there is nothing to preview.');
    }
    const holder = h('div', { class: 'preview-holder' }, h('p', { class: 'muted' }, 'Loading the first rows…'));
    const token = this.renderToken;
    const headers = finish.host === 'server' ? this.actions.serverAccess.headers() : {};
    loadPreview(outputHref(finish), finish.output.format, headers).then(
      (table) => {
        if (token === this.renderToken) holder.replaceChildren(previewTable(table));
      },
      (error: unknown) => {
        if (token === this.renderToken) holder.replaceChildren(h('p', { class: 'result-failed' }, `The preview could not be read: ${String(error)}`));
      },
    );
    return holder;
  }
}

function section(title: string, ...body: HTMLElement[]): HTMLElement {
  return h('section', { class: 'result-section' }, h('h3', {}, title), ...body);
}

function isProfiled(column: ColumnStats): boolean {
  return typeof column.type === 'string' && typeof column.count === 'number';
}

function errorList(summary: Summary): HTMLElement {
  const errors = summary.errors;
  if (!errors || errors.count === 0) return h('p', { class: 'muted' }, 'No bad rows.');
  const shown = errors.first.length;
  return h('div', { class: 'result-errors' },
    h('p', {}, `${formatCount(errors.count)} bad rows${shown < errors.count ? ` (the first ${shown} are listed)` : ''}; they are not in the statistics or the output.`),
    h('ul', {}, ...errors.first.map((e) => h('li', {},
      h('strong', {}, `row ${e.row}`), ` (line ${e.line}, byte ${e.byte_offset}${e.column ? `, column ${e.column}` : ''}): ${e.message} `,
      h('code', {}, e.code)))));
}
