import { render } from 'preact';
import browser from 'webextension-polyfill';
import { BlockedPage } from '@/components/BlockedPage';
import { ask } from '@/utils/protocol';
import { applyLanguage } from '@/utils/page';

async function main() {
  const tab = await browser.tabs.getCurrent();
  const state = tab?.id !== undefined ? await ask(browser.runtime, { type: 'blocked:state', tabId: tab.id }) : null;
  applyLanguage(state?.lang ?? 'en');
  render(<BlockedPage state={state} />, document.getElementById('app')!);
}
void main();
