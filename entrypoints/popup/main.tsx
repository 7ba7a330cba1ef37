import { render } from 'preact';
import browser from 'webextension-polyfill';
import { Popup } from '@/components/Popup';
import { ask } from '@/utils/protocol';
import { applyLanguage } from '@/utils/page';

async function main() {
  const params = new URLSearchParams(location.search);
  // Tests open the popup as a page and name the tab; the toolbar popup asks for the active tab.
  const tabId = Number(params.get('tabId')) || (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId === undefined) return;
  const state = await ask(browser.runtime, { type: 'popup:state', tabId });
  applyLanguage(state.lang);
  render(<Popup state={state} tabId={tabId} />, document.getElementById('app')!);
}
void main();
