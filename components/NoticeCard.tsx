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

/** The in-page notice: a compact chip that expands to the full context (design §5). */
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
        <span class="bl-icon" aria-hidden="true">
          {observed ? '⚠' : first?.active ? '⊘' : '◷'}
        </span>
        <span class="bl-headline">{headline}</span>
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
            <button type="button" onClick={onDismiss}>
              {t('dismissForPage')}
            </button>
            <button type="button" onClick={onMuteSite}>
              {t('muteSite')}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
