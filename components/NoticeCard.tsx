import { useState } from 'preact/hooks';
import type { ExplainedPlatform } from '@/utils/explain';
import type { Lang, T } from '@/utils/i18n';
import { RestrictionDetails } from './RestrictionDetails';

interface Props {
  platform: ExplainedPlatform;
  t: T;
  lang: Lang;
  variant: 'label' | 'banner';
  onDismiss: () => void;
  onMuteSite: () => void;
  /** "I think this is blocked here" (observed notices): resolves to whether the report was stored. */
  onReport?: () => Promise<boolean>;
}

let nextId = 0;

/** The icon (public/icon/banlens.svg) drawn inline: the notice bundle loads nothing from the extension's origin, which the page could see. */
export function BanLensMark() {
  return (
    <svg class="bl-logo" viewBox="0 0 128 128" width="16" height="16" aria-hidden="true" focusable="false">
      <rect x="4" y="4" width="120" height="120" rx="26" fill="#1d5c87" />
      <circle cx="55" cy="55" r="33" fill="#0f3a57" stroke="#fff" stroke-width="12" />
      <line x1="80" y1="80" x2="106" y2="106" stroke="#fff" stroke-width="17" stroke-linecap="round" />
      <g fill="none" stroke="#ffc247" stroke-width="9" stroke-linecap="round">
        <path d="M49 43 H43 a12 12 0 0 0 0 24 H49" />
        <path d="M61 43 H67 a12 12 0 0 1 0 24 H61" />
      </g>
    </svg>
  );
}

/**
 * The in-page notice: a compact chip that expands to the full context (ARCHITECTURE.md "Notices"). It carries the BanLens
 * mark, so nobody takes it for the site's or the platform's words. Its controls have distinct names:
 * "Why?", the close button (dismiss on this page), and "Don't show on this site".
 */
export function NoticeCard({ platform, t, lang, variant, onDismiss, onMuteSite, onReport }: Props) {
  const [open, setOpen] = useState(false);
  const [reported, setReported] = useState(false);
  const [panelId] = useState(() => `bl-panel-${nextId++}`);
  const first = platform.restrictions[0];
  const observed = platform.basis === 'observed' && platform.observed ? platform.observed : null;
  if (!first && !observed) return null;
  const line = observed ?? first!.headline;
  const headline = variant === 'banner' ? t('bannerHeadline', platform.name, line) : line;
  return (
    <section class={`bl-card bl-${variant}${observed || first?.active ? '' : ' bl-history'}${observed ? ' bl-observed' : ''}`} role={variant === 'banner' ? 'region' : 'note'} aria-label={t('noticeLabel', platform.name)}>
      <div class="bl-row">
        <span class="bl-mark">
          <BanLensMark />
          <span class="bl-brand">BanLens</span>
        </span>
        <span class="bl-headline">{headline}</span>
        {first?.chip.status === 'stale' ? <span class="bl-chip">{first.chip.text}</span> : null}
        <button type="button" class="bl-why" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
          {open ? t('hideDetails') : t('why')}
        </button>
        <button type="button" class="bl-close" aria-label={t('dismissForPage')} title={t('dismissForPage')} onClick={onDismiss}>
          ×
        </button>
      </div>
      {open ? (
        <div id={panelId} class="bl-panel">
          {platform.restrictions.map((r) => (
            <div key={r.id} class="bl-restriction">
              {platform.restrictions.length > 1 ? <h3 class="bl-sub">{r.headline}</h3> : null}
              <RestrictionDetails r={r} t={t} lang={lang} />
            </div>
          ))}
          <div class="bl-actions">
            {observed && onReport ? (
              reported ? (
                <span class="bl-reported" role="status">
                  {t('reportSaved')}
                </span>
              ) : (
                <button type="button" class="bl-report" onClick={() => void onReport().then(setReported)}>
                  {t('reportBlocked')}
                </button>
              )
            ) : null}
            <button type="button" onClick={onMuteSite}>
              {t('muteSite')}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
