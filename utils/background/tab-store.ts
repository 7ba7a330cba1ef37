/**
 * The one owner of every tab's state (ARCHITECTURE.md "Background features"). State changes only by
 * dispatching a TabEvent; the store applies the pure reducer, persists changed state (the only write,
 * coalesced to one storage.session write per 250 ms) and tells the listening features what changed.
 */
import { tabStatesItem } from '../storage';
import { emptyTabState, reduceTab, TabState, type TabEvent } from './tab-state';

export interface TabChange {
  tabId: number;
  before: TabState;
  after: TabState;
  event: TabEvent;
}
export type TabListener = (change: TabChange) => void;

const PERSIST_DELAY_MS = 250;

export class TabStore {
  readonly #tabs = new Map<number, TabState>();
  readonly #listeners: TabListener[] = [];
  #loaded: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();

  /** Restores what a previous worker persisted; a state that no longer passes the schema is dropped. */
  load(): Promise<void> {
    this.#loaded ??= (async () => {
      const stored = await tabStatesItem.getValue().catch(() => ({}));
      for (const [key, value] of Object.entries(stored ?? {})) {
        const parsed = TabState.safeParse(value);
        const tabId = Number(key);
        if (parsed.success && Number.isInteger(tabId) && !this.#tabs.has(tabId)) this.#tabs.set(tabId, parsed.data);
      }
    })();
    return this.#loaded;
  }

  onChange(listener: TabListener): void {
    this.#listeners.push(listener);
  }

  /**
   * Applies an event to a tab. Resolves to the change, or null when the event changed nothing; the
   * read, the reducer and the write happen with no await between them, so a change is never lost to
   * a concurrent dispatch. Listeners hear of it only when the state changed.
   */
  async dispatch(tabId: number, event: TabEvent): Promise<TabChange | null> {
    await this.load();
    const before = this.#tabs.get(tabId) ?? emptyTabState();
    const after = reduceTab(before, event);
    if (after === before) return null;
    this.#tabs.set(tabId, after);
    this.#persistSoon();
    for (const listener of this.#listeners) {
      try {
        listener({ tabId, before, after, event });
      } catch (error) {
        console.warn('BanLens: a tab listener failed', error);
      }
    }
    return { tabId, before, after, event };
  }

  /** The tab's state, or an empty one for a tab we know nothing about. */
  async read(tabId: number): Promise<TabState> {
    await this.load();
    return this.#tabs.get(tabId) ?? emptyTabState();
  }

  tabIds(): number[] {
    return [...this.#tabs.keys()];
  }

  async forget(tabId: number): Promise<void> {
    await this.load();
    if (this.#tabs.delete(tabId)) this.#persistSoon();
  }

  #persistSoon(): void {
    this.#timer ??= setTimeout(() => void this.flush(), PERSIST_DELAY_MS);
  }

  /** Writes every tab's state now; resolves when this and earlier writes are done. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const snapshot = Object.fromEntries([...this.#tabs].map(([id, s]) => [String(id), s]));
    this.#writing = this.#writing.then(() => tabStatesItem.setValue(snapshot)).catch((error: unknown) => console.warn('BanLens: could not persist tab state', error));
    return this.#writing;
  }
}
