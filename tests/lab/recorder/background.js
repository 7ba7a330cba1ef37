// Throwaway lab recorder. Posts each details object to the collector at the origin of the lab fixture page
// (http://127.0.0.1:PORT/__rec), which is the initiator (Chromium) or documentUrl (Firefox) of the embeds.
const api = globalThis.browser ?? globalThis.chrome;
const LAB = /^http:\/\/127\.0\.0\.1:\d+$/;
let collector = null;
const pending = [];

function send(rec) {
  fetch(`${collector}/__rec`, { method: 'POST', body: JSON.stringify(rec), headers: { 'content-type': 'text/plain' } }).catch(() => {});
}

function record(event, details) {
  if (details.url.includes('/__rec')) return;
  for (const u of [details.initiator, details.documentUrl, details.originUrl, details.url]) {
    try {
      if (u && LAB.test(new URL(u).origin)) { collector = new URL(u).origin; break; }
    } catch { /* not a URL */ }
  }
  const rec = { userAgent: navigator.userAgent, event, details };
  if (!collector) { pending.push(rec); return; }
  while (pending.length) send(pending.shift());
  send(rec);
}

const filter = { urls: ['<all_urls>'] };
api.webRequest.onCompleted.addListener((d) => record('completed', d), filter);
api.webRequest.onErrorOccurred.addListener((d) => record('error', d), filter);
api.webRequest.onBeforeRedirect.addListener((d) => record('redirect', d), filter);
// Evidence only (not classifier input): does the status reach the extension before the browser hides the body?
api.webRequest.onHeadersReceived.addListener((d) => record('headers', d), filter);
