// @vitest-environment happy-dom
/**
 * The dataset-update opt-in, clicked as a user clicks it, on the first-run page and in Settings. Both save
 * through a patch that runs after an await; reading the checkbox inside it (when the event's currentTarget is
 * already null) once threw and left the opt-in unsaved while the box looked ticked.
 */
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '../../components/Options';
import { Welcome } from '../../components/Welcome';
import { makeT } from '../../utils/i18n';
import { DEFAULT_SETTINGS, getSettings, type Settings } from '../../utils/settings';
import type { DatasetUpdateState } from '../../utils/protocol';

const t = makeT('en');

async function until<T>(probe: () => T | null | undefined | Promise<T | null | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const optInBox = (root: Element) => root.querySelector<HTMLInputElement>('input[data-setting=datasetUpdates]');

describe('the dataset-update opt-in', () => {
  let root: HTMLElement;
  beforeEach(() => {
    fakeBrowser.reset();
    document.body.innerHTML = '';
    root = document.createElement('div');
    document.body.append(root);
  });

  it('on the first-run page: a click saves it on', async () => {
    let saved: Settings = DEFAULT_SETTINGS;
    const errors: unknown[] = [];
    // As entrypoints/welcome/main.tsx does: the patch is applied after the settings are read.
    const save = async (patch: (s: Settings) => Settings) => {
      await Promise.resolve();
      try {
        saved = patch(saved);
      } catch (e) {
        errors.push(e);
      }
    };
    render(<Welcome region={{ regions: ['PK'], source: 'timezone', timeZone: 'Asia/Karachi' }} settings={DEFAULT_SETTINGS} save={save} updateHost="updates.example.org" openOptions={() => {}} close={() => {}} lang="en" t={t} />, root);
    optInBox(root)!.click();
    await until(() => saved.datasetUpdates || errors.length, 'the save');
    expect(errors).toEqual([]);
    expect(saved.datasetUpdates).toBe(true);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('in Settings: a click saves it on, and another saves it off', async () => {
    // As wxt.config.ts defines them for a build with a channel.
    vi.stubGlobal('__BANLENS_DATASET_URL__', 'https://updates.example.org/v1/manifest.json');
    vi.stubGlobal('__BANLENS_DATASET_KEY__', 'NtEzONimzp63nfBrMXHKN/ebVCqZ/pwaJo1N1zzaMdE=');
    const state: DatasetUpdateState = { enabled: false, host: 'updates.example.org', status: null, active: { version: '1', researchedThrough: '2026-01-01', source: 'bundled' }, previous: null };
    fakeBrowser.runtime.onMessage.addListener(async () => state);
    render(<Options lang="en" t={t} />, root);
    const box = await until(() => optInBox(root), 'the options page');
    box.click();
    await until(async () => (await getSettings()).datasetUpdates, 'the opt-in saved');
    const reread = await until(() => (optInBox(root)?.checked ? optInBox(root) : null), 'the box ticked');
    reread.click();
    await until(async () => !(await getSettings()).datasetUpdates, 'the opt-out saved');
  });

  it('a build without a channel offers no choice and says why, on the first-run page and in Settings', async () => {
    render(<Welcome region={{ regions: ['PK'], source: 'timezone', timeZone: 'Asia/Karachi' }} settings={DEFAULT_SETTINGS} save={async () => {}} updateHost={null} openOptions={() => {}} close={() => {}} lang="en" t={t} />, root);
    expect(optInBox(root)).toBeNull();
    expect(root.querySelector('[data-testid=dataset-no-channel]')?.textContent).toBe(t('updateNoChannel'));

    const settings = document.createElement('div');
    document.body.append(settings);
    render(<Options lang="en" t={t} />, settings);
    const note = await until(() => settings.querySelector('[data-testid=dataset-no-channel]'), 'the options page');
    expect(note.textContent).toContain('no update channel');
    expect(optInBox(settings)).toBeNull();
    expect(settings.querySelector('[data-testid=dataset-updates]')).toBeNull();
  });
});
