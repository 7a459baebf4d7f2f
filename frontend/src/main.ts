// The page: wires the settings, the drop zone, the two hosts (the server over its
// WebSocket, the browser's worker pool), the job rows, the pool panels and the results.
import './styles.css';
import { byId } from './dom';
import { JobController } from './jobs/controller';
import { LocalPool } from './local/pool';
import { ServerConnection, webSocketUrl } from './server/connection';
import { loadSettings } from './settings';
import { registerServiceWorker } from './sw/register';
import { Announcer } from './ui/announcer';
import { bindDropzone } from './ui/dropzone';
import { JobList } from './ui/job-list';
import { PoolPanel } from './ui/pool-panel';
import { ResultsView } from './ui/results';
import { showServerStatus } from './ui/server-status';
import { bindSettings } from './ui/settings-panel';

const settings = loadSettings();
const local = new LocalPool();
const server = new ServerConnection(webSocketUrl(document.baseURI));
const controller = new JobController(local, server, () => settings);

const announcer = new Announcer(byId('announcer'));
const list = new JobList(byId('job-list'), byId('job-list-empty'), controller, server, announcer);
const serverPool = new PoolPanel(byId('pool-server'));
const browserPool = new PoolPanel(byId('pool-browser'));
const results = new ResultsView(byId('results'));
const status = byId('server-status');
const clearButton = byId<HTMLButtonElement>('clear-finished');

const refreshClear = () => {
  clearButton.disabled = !controller.jobs.some((j) => ['done', 'failed', 'cancelled'].includes(j.state));
};

controller.listen({
  changed(job) {
    list.update(job);
    if (job.id === controller.selectedId) results.show(job);
    refreshClear();
  },
  listChanged() {
    list.render();
    refreshClear();
  },
  pool(event) {
    (event.host === 'server' ? serverPool : browserPool).show(event);
  },
  selected(job) {
    list.updateAll();
    results.show(job);
  },
});

server.onStatus(() => {
  showServerStatus(status, server);
  if (!server.connected) serverPool.clear(server.tried ? 'not connected' : 'connecting…');
  list.updateAll();
});

bindSettings(settings, () => list.updateAll());
bindDropzone(byId('dropzone'), byId<HTMLInputElement>('file-input'), (files) => void controller.addFiles(files));
clearButton.addEventListener('click', () => controller.clearFinished());

browserPool.show(local.status());
showServerStatus(status, server);
list.render();
refreshClear();
server.connect();
registerServiceWorker();
