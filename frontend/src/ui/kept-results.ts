// The kept results, under Settings: how many this browser keeps and how much they take (and
// how much the browser lets this site use), what the cap dropped, and a button that empties
// the store.
import type { KeptEvent, KeptResult, KeptResults } from '../jobs/kept-results';
import { byId, setAttr } from '../dom';
import { formatBytes, formatCount } from './format';

export class KeptResultsPanel {
  private readonly root = byId('kept-results');
  private readonly usage = byId('kept-results-usage');
  private readonly note = byId('kept-results-note');
  private readonly clearButton = byId<HTMLButtonElement>('clear-kept-results');
  private refreshes = 0;

  constructor(private readonly store: KeptResults) {
    this.clearButton.disabled = true;
    this.clearButton.addEventListener('click', () => {
      this.clearButton.disabled = true;
      void store.clear();
    });
    store.onEvent((event) => {
      if (event.kind === 'changed') void this.refresh();
      else this.say(describe(event));
    });
  }

  private async refresh(): Promise<void> {
    const token = ++this.refreshes;
    if (!(await this.store.available())) {
      setAttr(this.root, 'data-available', 'false');
      this.usage.textContent = `Results are not kept in this browser: ${this.store.unavailable ?? 'no storage'}.`;
      return;
    }
    const [usage, estimate] = await Promise.all([
      this.store.usage(),
      navigator.storage.estimate().catch(() => null),
    ]);
    if (token !== this.refreshes) return;  // a later refresh has newer numbers
    setAttr(this.root, 'data-available', 'true');
    setAttr(this.root, 'data-count', usage.count);
    setAttr(this.root, 'data-bytes', usage.bytes);
    const quota = estimate?.quota ? ` (the browser lets this site use up to ${formatBytes(estimate.quota)})` : '';
    this.usage.textContent = `${formatCount(usage.count)} ${usage.count === 1 ? 'result' : 'results'}, ${formatBytes(usage.bytes)} kept in this browser${quota}`;
    this.clearButton.disabled = usage.count === 0;
  }

  private say(text: string): void {
    this.note.textContent = text;
    this.note.hidden = false;
  }
}

function describe(event: Exclude<KeptEvent, { kind: 'changed' }>): string {
  switch (event.kind) {
    case 'dropped':
      return `Dropped ${event.results.length === 1 ? 'the oldest kept result' : `the ${event.results.length} oldest kept results`}, ` +
        `${listOf(event.results)}, to stay under the ${formatCount(event.capMb)} MB cap.`;
    case 'too-big':
      return `${event.name} is not kept: its result (${formatBytes(event.bytes)}) is bigger than the ${formatCount(event.capMb)} MB cap. ` +
        'It stays until this page closes.';
    case 'not-kept':
      return `${event.name} could not be kept: ${event.why}`;
    case 'cleared':
      return event.results.length === 0 ? 'Nothing was kept.'
        : `Cleared ${formatCount(event.results.length)} kept ${event.results.length === 1 ? 'result' : 'results'} (${formatBytes(total(event.results))}).`;
  }
}

function listOf(results: KeptResult[]): string {
  return `${results.map((r) => r.name).join(', ')} (${formatBytes(total(results))})`;
}

function total(results: KeptResult[]): number {
  return results.reduce((sum, r) => sum + r.bytes, 0);
}
