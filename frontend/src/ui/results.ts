// The selected job's results: detected format, schema, per-column details, a preview of
// the output's first rows, the bad rows, and downloads of the output and the summary.
import { isFinal, type Job } from '../jobs/job';
import type { FinishEvent, Summary } from '../protocol';
import { h, setAttr } from '../dom';
import { loadPreview } from '../preview/preview';
import { columnDetail } from './column-detail';
import { formatBytes, formatCount, formatDuration } from './format';
import { outputFileName, outputHref, summaryFileName } from './output-link';
import { previewTable } from './preview-table';
import { schemaTable } from './schema-table';

export class ResultsView {
  private shownKey = '';
  private summaryUrl: string | null = null;
  private renderToken = 0;

  constructor(private readonly root: HTMLElement) {
    this.show(null);
  }

  // Re-renders only when the job or its state changed.
  show(job: Job | null): void {
    const key = job ? `${job.id}:${job.runId}:${job.state}` : '';
    if (key === this.shownKey && job) return;
    this.shownKey = key;
    this.renderToken++;
    if (this.summaryUrl) URL.revokeObjectURL(this.summaryUrl);
    this.summaryUrl = null;
    setAttr(this.root, 'data-job-id', job?.id ?? '');
    const heading = h('h2', { id: 'results-heading' }, job ? `Results: ${job.name}` : 'Results');
    if (!job) {
      this.root.replaceChildren(heading, h('p', { class: 'muted' }, 'Pick a finished file to see its schema, statistics and a preview of its output.'));
    } else if (job.state === 'done' && job.finish) {
      this.root.replaceChildren(heading, ...this.finished(job, job.finish));
    } else if (job.state === 'failed') {
      this.root.replaceChildren(heading, failure(job));
    } else if (isFinal(job.state)) {
      this.root.replaceChildren(heading, h('p', { class: 'muted' }, 'This file was cancelled; nothing of it was kept.'));
    } else {
      this.root.replaceChildren(heading, h('p', { class: 'muted' }, `This file is ${job.state}; its results appear here when it is done.`));
    }
  }

  private finished(job: Job, finish: FinishEvent): HTMLElement[] {
    const summary = finish.summary;
    const columns = summary.columns ?? [];
    const sections: HTMLElement[] = [
      this.overview(job, finish),
      this.downloads(job, finish),
      section('Schema', columns.length ? h('div', { class: 'table-scroll' }, schemaTable(columns)) : h('p', { class: 'muted' }, 'No columns.')),
    ];
    if (columns.length) sections.push(section('Columns', h('div', { class: 'column-details' }, ...columns.map(columnDetail))));
    sections.push(section('Preview', this.preview(finish)));
    sections.push(section('Errors', errorList(summary)));
    return sections;
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
    return h('div', { class: 'result-downloads' },
      h('a', { class: 'download-output button primary', href: outputHref(finish), download: name }, `Download ${name}`),
      summaryLink);
  }

  private preview(finish: FinishEvent): HTMLElement {
    if (finish.output.format === 'none' || finish.output.url === '') {
      return h('p', { class: 'muted' }, 'No output was asked for, so there is nothing to preview.');
    }
    const holder = h('div', { class: 'preview-holder' }, h('p', { class: 'muted' }, 'Loading the first rows…'));
    const token = this.renderToken;
    loadPreview(outputHref(finish), finish.output.format).then(
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

function failure(job: Job): HTMLElement {
  const error = job.error;
  const row = error?.place?.row;
  return h('div', { class: 'result-errors' },
    h('p', { class: 'result-failed' }, `This file failed (${error?.code ?? 'unknown'}); nothing was kept.`),
    h('ul', {}, h('li', {}, row !== undefined ? h('strong', {}, `row ${row}: `) : null, error?.message ?? 'unknown error')));
}

function section(title: string, body: HTMLElement): HTMLElement {
  return h('section', { class: 'result-section' }, h('h3', {}, title), body);
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
