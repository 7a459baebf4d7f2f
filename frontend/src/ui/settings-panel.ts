// The settings controls: threshold, where new files run, the output format, the reading
// options and the cap on kept results. Every change is saved at once and holds for files
// added afterwards.
import {
  DELIMITERS, ENCODINGS, INPUT_FORMATS, isMegabytes, isOneOf, isOutputFormat, isRouteMode, saveSettings, type Settings,
} from '../settings';
import { byId } from '../dom';

// Above this, a file in the browser costs enough that the page says what.
const LARGE_THRESHOLD_MB = 512;

function thresholdCost(mb: number): string {
  if (mb === 0) return 'Every file goes to the server (while one is reachable).';
  if (mb <= LARGE_THRESHOLD_MB) return '';
  return `Files up to ${mb} MB will run in this tab: each keeps one of its workers busy for as long as it takes ` +
    '(the server is usually faster), and its output takes as much of this browser\'s storage as it is big.';
}

export function bindSettings(settings: Settings, onChange: () => void): void {
  const threshold = byId<HTMLInputElement>('threshold-mb');
  const route = byId<HTMLSelectElement>('route-mode');
  const output = byId<HTMLSelectElement>('output-format');
  threshold.value = String(settings.thresholdMb);
  route.value = settings.routeMode;
  output.value = settings.outputFormat;

  const thresholdMessage = byId('threshold-message');
  const checkThreshold = () => {
    const mb = threshold.valueAsNumber;
    const valid = threshold.value.trim() !== '' && Number.isFinite(mb) && mb >= 0;
    threshold.setAttribute('aria-invalid', valid ? 'false' : 'true');
    thresholdMessage.dataset.kind = valid ? (mb > LARGE_THRESHOLD_MB ? 'warn' : '') : 'error';
    thresholdMessage.textContent = valid ? thresholdCost(mb) : `Enter a size in MB, 0 or more (0 sends every file to the server). Until then files up to ${settings.thresholdMb} MB run here.`;
    if (!valid) return;
    settings.thresholdMb = mb;
    saveSettings(settings);
    onChange();
  };
  threshold.addEventListener('input', checkThreshold);
  threshold.addEventListener('change', checkThreshold);
  thresholdMessage.textContent = thresholdCost(settings.thresholdMb);
  thresholdMessage.dataset.kind = settings.thresholdMb > LARGE_THRESHOLD_MB ? 'warn' : '';
  route.addEventListener('change', () => {
    if (isRouteMode(route.value)) settings.routeMode = route.value;
    saveSettings(settings);
    onChange();
  });
  output.addEventListener('change', () => {
    if (isOutputFormat(output.value)) settings.outputFormat = output.value;
    saveSettings(settings);
    onChange();
  });
  bindParseOptions(settings, onChange);
  bindKeptCap(settings);
}

// Checked when the next result is kept, so editing the number never drops results on the way.
function bindKeptCap(settings: Settings): void {
  const cap = byId<HTMLInputElement>('kept-results-mb');
  cap.value = String(settings.keptResultsMb);
  cap.addEventListener('input', () => {
    const mb = cap.valueAsNumber;
    const valid = isMegabytes(mb);
    cap.setAttribute('aria-invalid', valid ? 'false' : 'true');
    if (!valid) return;
    settings.keptResultsMb = mb;
    saveSettings(settings);
  });
}

function bindParseOptions(settings: Settings, onChange: () => void): void {
  const parse = settings.parse;
  const format = byId<HTMLSelectElement>('input-format');
  const delimiter = byId<HTMLSelectElement>('delimiter');
  const header = byId<HTMLSelectElement>('header');
  const encoding = byId<HTMLSelectElement>('encoding');
  const types = byId<HTMLSelectElement>('types');
  const maxErrors = byId<HTMLInputElement>('max-errors');
  const logFormat = byId<HTMLInputElement>('log-format');
  format.value = parse.format;
  delimiter.value = parse.delimiter;
  header.value = parse.header;
  encoding.value = parse.encoding;
  types.value = parse.types;
  maxErrors.value = String(parse.maxErrors);
  logFormat.value = parse.logFormat;
  const save = () => {
    saveSettings(settings);
    onChange();
  };
  format.addEventListener('change', () => {
    if (isOneOf(format.value, INPUT_FORMATS)) parse.format = format.value;
    save();
  });
  delimiter.addEventListener('change', () => {
    if (DELIMITERS.includes(delimiter.value)) parse.delimiter = delimiter.value;
    save();
  });
  header.addEventListener('change', () => {
    if (isOneOf(header.value, ['auto', 'yes', 'no'] as const)) parse.header = header.value;
    save();
  });
  encoding.addEventListener('change', () => {
    if (isOneOf(encoding.value, ENCODINGS)) parse.encoding = encoding.value;
    save();
  });
  types.addEventListener('change', () => {
    if (isOneOf(types.value, ['infer', 'none'] as const)) parse.types = types.value;
    save();
  });
  const maxErrorsMessage = byId('max-errors-message');
  maxErrors.addEventListener('input', () => {
    const n = maxErrors.valueAsNumber;
    const valid = maxErrors.value.trim() !== '' && Number.isInteger(n) && n >= -1;
    maxErrors.setAttribute('aria-invalid', valid ? 'false' : 'true');
    maxErrorsMessage.textContent = valid ? ''
      : `Enter a whole number: 0 or more, or -1 for any number. Until then new files tolerate ${parse.maxErrors === -1 ? 'any number of' : parse.maxErrors} bad rows.`;
    if (!valid) return;
    parse.maxErrors = n;
    save();
  });
  // Checked by the host, which names the bad character in the job's error.
  logFormat.addEventListener('change', () => {
    parse.logFormat = logFormat.value;
    save();
  });
}
