/** Picks the built-in strings for a language tag and applies the page's partial overrides. */
import { en, type CosUploaderStrings } from './en.ts';
import { zhCN } from './zh-cn.ts';

export type { CosUploaderStrings, RejectionReason } from './en.ts';
export { en } from './en.ts';
export { zhCN } from './zh-cn.ts';

/** Overrides for some strings; the nested groups (`states`, `rejected`, `announce`) may be partial too. */
export type CosUploaderStringOverrides = Partial<Omit<CosUploaderStrings, 'states' | 'rejected' | 'announce'>> & {
  states?: Partial<CosUploaderStrings['states']>;
  rejected?: Partial<CosUploaderStrings['rejected']>;
  announce?: Partial<CosUploaderStrings['announce']>;
};

/** Built-in strings for a BCP 47 tag: any Chinese tag gets Simplified Chinese (the only Chinese we ship), else English. */
export function builtInStrings(lang: string | null | undefined): CosUploaderStrings {
  return (lang ?? '').toLowerCase().split('-')[0] === 'zh' ? zhCN : en;
}

/** Built-in strings for `lang` with `overrides` merged over them (one level deep for the nested groups). */
export function resolveStrings(lang: string | null | undefined, overrides: CosUploaderStringOverrides | undefined): CosUploaderStrings {
  const base = builtInStrings(lang);
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    states: { ...base.states, ...overrides.states },
    rejected: { ...base.rejected, ...overrides.rejected },
    announce: { ...base.announce, ...overrides.announce },
  } as CosUploaderStrings;
}
