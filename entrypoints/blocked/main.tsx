import { render } from 'preact';
import browser from 'webextension-polyfill';
import { BlockedPage, type BlockedState } from '@/components/BlockedPage';
import { applyLanguage } from '@/utils/page';

async function main() {
  const tab = await browser.tabs.getCurrent();
  const state = tab?.id !== undefined ? ((await browser.runtime.sendMessage({ type: 'blocked:state', tabId: tab.id })) as BlockedState | null) : null;
  applyLanguage(state?.lang ?? 'en');
  render(<BlockedPage state={state} />, document.getElementById('app')!);
}
void main();
