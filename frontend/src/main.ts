// The page: wires the settings, the drop zone, the two hosts (the server over its
// WebSocket, with an access token when it wants one; the browser's worker pool), the kept
// browser results, the job rows, the pool panels and the results.
import './styles.css';
import { byId } from './dom';
import { JobController } from './jobs/controller';
import { isFinal, type Job } from './jobs/job';
import { KeptResults } from './jobs/kept-results';
import { LocalPool } from './local/pool';
import type { HostKind } from './protocol';
import { ServerConnection, webSocketUrl } from './server/connection';
import { loadSettings } from './settings';
import { registerServiceWorker } from './sw/register';
import { Announcer } from './ui/announcer';
import { bindDropzone } from './ui/dropzone';
import { JobList } from './ui/job-list';
import { KeptResultsPanel } from './ui/kept-results';
import { OverallStatus } from './ui/overall';
import { PoolPanel, type PoolContext } from './ui/pool-panel';
import { ResultsView } from './ui/results';
import { watchScrollCues } from './ui/scroll-cue';
import { showServerStatus } from './ui/server-status';
import { TokenPrompt } from './ui/server-token';
import { bindSettings } from './ui/settings-panel';

const settings = loadSettings();
const local = new LocalPool();
const server = new ServerConnection(webSocketUrl(document.baseURI));
const kept = new KeptResults();
const controller = new JobController(local, server, () => settings, kept);
new KeptResultsPanel(kept);

const announcer = new Announcer(byId('announcer'));
const results = new ResultsView(byId('results'), {
  canRunAgain: (job) => controller.canRunAgain(job),
  runAgain: (job, change) => controller.runAgain(job, change),
  currentOptions: () => controller.currentOptions(),
  serverConnected: () => server.connected,
  serverAccess: {
    headers: () => server.authorization(),
    // Before the first answer, a stored token says the server wanted one.
    ticketNeeded: () => server.authMode === 'token' || (server.authMode === 'unknown' && server.hasToken),
  },
});
const list = new JobList(byId('job-list'), byId('job-list-empty'), controller, server, announcer, (job) => {
  controller.select(job.id);
  results.reveal('errors');
});
const serverPool = new PoolPanel(byId('pool-server'), 'server');
const browserPool = new PoolPanel(byId('pool-browser'), 'browser');
const overall = new OverallStatus(byId('overall'));
const status = byId('server-status');
const tokenPrompt = new TokenPrompt(server, announcer, {
  openButton: byId<HTMLButtonElement>('token-open'),
  access: byId('server-access'),
  forgetButton: byId<HTMLButtonElement>('forget-token'),
});
const clearButton = byId<HTMLButtonElement>('clear-finished');

function poolContext(host: HostKind): PoolContext {
  const mine = controller.jobs.filter((j) => j.host === host);
  return {
    mine: {
      running: mine.filter((j) => !isFinal(j.state) && j.started).length,
      waiting: mine.filter((j) => !isFinal(j.state) && !j.started).length,
      done: mine.filter((j) => j.state === 'done').length,
      failed: mine.filter((j) => j.state === 'failed').length,
    },
    fileOn: (worker) => mine.find((j: Job) => j.started && !isFinal(j.state) && j.worker === worker)?.name ?? null,
  };
}

const refreshSummary = () => {
  clearButton.disabled = !controller.jobs.some((j) => isFinal(j.state));
  overall.show(controller.jobs);
};

// Rows change many times a second; the pool panels and the overall line follow at most
// every animation frame.
let summaryQueued = false;
const refreshSoon = () => {
  if (summaryQueued) return;
  summaryQueued = true;
  requestAnimationFrame(() => {
    summaryQueued = false;
    refreshSummary();
    serverPool.refresh(poolContext('server'));
    browserPool.refresh(poolContext('browser'));
  });
};

controller.listen({
  changed(job) {
    list.update(job);
    if (job.id === controller.selectedId) results.show(job);
    refreshSoon();
  },
  listChanged() {
    list.render();
    refreshSoon();
  },
  pool(event) {
    (event.host === 'server' ? serverPool : browserPool).show(event, poolContext(event.host));
  },
  selected(job, reveal) {
    list.updateAll();
    results.show(job);
    if (reveal && job) results.reveal();
  },
});

server.onStatus(() => {
  showServerStatus(status, server);
  tokenPrompt.update();
  if (!server.connected) {
    serverPool.clear(server.status === 'unauthorized' ? 'waiting for an access token' : server.tried ? 'not connected' : 'connecting…');
  }
  list.updateAll();
});

// Browser jobs live in this page, and so do uploads the server does not have whole yet:
// a reload or a closed tab would stop them, so the browser asks first.
window.addEventListener('beforeunload', (event) => {
  if (!controller.hasLocalWork()) return;
  event.preventDefault();
  event.returnValue = '';
});

bindSettings(settings, () => list.updateAll());
bindDropzone(byId('dropzone'), byId<HTMLInputElement>('file-input'), (files) => void controller.addFiles(files));
clearButton.addEventListener('click', () => controller.clearFinished());
watchScrollCues(byId('results'));

// Said once: without files of their own, outputs sit in this tab's memory.
local.onStorage((storage) => {
  if (storage.kind !== 'memory') return;
  const note = byId('browser-output-note');
  note.textContent = `Outputs are held in this tab's memory: ${storage.why}. A big output may exhaust the tab, and results are not kept across reloads.`;
  note.hidden = false;
});
browserPool.show(local.status(), poolContext('browser'));
showServerStatus(status, server);
tokenPrompt.update();
list.render();
refreshSummary();
server.connect();
registerServiceWorker();
