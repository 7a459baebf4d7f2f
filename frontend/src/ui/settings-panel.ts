// The settings controls: threshold, where new files run, and the output format. Every
// change is saved at once.
import { isOutputFormat, isRouteMode, saveSettings, type Settings } from '../settings';
import { byId } from '../dom';

export function bindSettings(settings: Settings, onChange: () => void): void {
  const threshold = byId<HTMLInputElement>('threshold-mb');
  const route = byId<HTMLSelectElement>('route-mode');
  const output = byId<HTMLSelectElement>('output-format');
  threshold.value = String(settings.thresholdMb);
  route.value = settings.routeMode;
  output.value = settings.outputFormat;

  threshold.addEventListener('input', () => {
    const mb = threshold.valueAsNumber;
    const valid = Number.isFinite(mb) && mb >= 0;
    threshold.setAttribute('aria-invalid', valid ? 'false' : 'true');
    if (!valid) return;
    settings.thresholdMb = mb;
    saveSettings(settings);
    onChange();
  });
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
}
