/**
 * Templates of `<cos-uploader>`'s rows. Text goes only through Lit text/attribute bindings (never `innerHTML`), so
 * file names and server messages show as written, markup and all.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { Directive, directive, type ElementPart, type PartInfo, PartType } from 'lit/directive.js';
import type { UploadRecord } from '@coskit/core';
import type { QueueItem, QueueProgress } from '../queue/index.ts';
import { formatBytes, formatDuration } from './format.ts';
import type { CosUploaderStrings, RejectionReason } from './locales/en.ts';

/** Per-item actions the buttons trigger. */
export type ItemAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'remove';

/** What the row templates need from the element. */
export interface RowContext {
  strings: CosUploaderStrings;
  locale: string;
  disabled: boolean;
  thumbnail(id: string): string | undefined;
  thumbnailLoaded(id: string): void;
  thumbnailFailed(id: string): void;
  act(action: ItemAction, item: QueueItem, event: Event): void;
}

/** A rejected file, as listed until dismissed. */
export interface Rejection {
  id: number;
  name: string;
  reason: RejectionReason;
  message: string;
}

/**
 * Sets `style.width` through the CSSOM. Lit's `styleMap` writes the `style` attribute on first render, which a
 * strict CSP (`style-src` without 'unsafe-inline') refuses; CSSOM property writes are always allowed.
 */
class WidthDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('width() goes in element position: <div ${width(50)}>');
  }
  render(_percent: number): unknown {
    return nothing;
  }
  override update(part: ElementPart, [percent]: [number]): unknown {
    (part.element as HTMLElement).style.width = `${percent}%`;
    return nothing;
  }
}
const width = directive(WidthDirective);

/** `role="progressbar"` with its values; `label` names it for assistive technology. */
export function progressBar(label: string, percent: number, text: string, partName: string): TemplateResult {
  const value = Math.max(0, Math.min(100, Math.floor(percent)));
  return html`<div
    part=${partName}
    class="progress"
    role="progressbar"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${value}
    aria-valuetext=${text}
  >
    <div part="${partName}-bar" class="progress-bar" ${width(value)}></div>
  </div>`;
}

/** The primary action of a row for its state; one button whose label changes keeps keyboard focus in place. */
function primaryAction(state: QueueItem['state']): ItemAction | undefined {
  if (state === 'queued' || state === 'hashing' || state === 'uploading') return 'pause';
  if (state === 'paused') return 'resume';
  if (state === 'failed' || state === 'canceled') return 'retry';
  return undefined;
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.length - dot <= 5 ? name.slice(dot + 1) : '';
}

function itemRow(item: QueueItem, ctx: RowContext): TemplateResult {
  const { strings, locale } = ctx;
  const name = item.relativePath || item.file.name;
  const size = (n: number): string => formatBytes(n, strings, locale);
  const { loaded, total, percent, speed, eta } = item.progress;
  const active = item.state === 'uploading' || item.state === 'hashing';
  const primary = primaryAction(item.state);
  const secondary: ItemAction = item.state === 'done' || item.state === 'failed' || item.state === 'canceled' ? 'remove' : 'cancel';
  const thumb = ctx.thumbnail(item.id);
  const text = strings.progressText(Math.floor(percent), size(loaded), size(total));
  return html`<li part="item item-${item.state}" class="item" data-state=${item.state} data-id=${item.id}>
    <span part="thumbnail" class="thumbnail" data-thumb=${item.id} aria-hidden="true">
      ${thumb
        ? html`<img
            part="thumbnail-image"
            src=${thumb}
            alt=""
            decoding="async"
            loading="lazy"
            @load=${() => ctx.thumbnailLoaded(item.id)}
            @error=${() => ctx.thumbnailFailed(item.id)}
          />`
        : extension(item.file.name)}
    </span>
    <div part="item-body" class="body">
      <div part="item-header" class="header">
        <span part="item-name" class="name" title=${name}>${name}</span>
        <span part="item-state" class="state">${strings.states[item.state]}</span>
      </div>
      ${progressBar(strings.fileProgress(name), percent, text, 'item-progress')}
      <p part="item-meta" class="meta">
        <span part="item-size">${item.state === 'done' ? size(total) : text}</span>
        ${active && speed > 0 ? html`<span part="item-speed">${strings.speed(size(speed))}</span>` : nothing}
        ${active && Number.isFinite(eta) && speed > 0 ? html`<span part="item-eta">${strings.timeLeft(formatDuration(eta, strings))}</span>` : nothing}
        ${item.state === 'failed' && item.error ? html`<span part="item-error" class="error">${item.error.message}</span>` : nothing}
      </p>
    </div>
    <div part="item-actions" class="actions">
      <button
        part="item-button ${primary ?? 'pause'}-button"
        type="button"
        ?hidden=${!primary}
        ?disabled=${ctx.disabled}
        aria-label=${`${strings[primary ?? 'pause']} ${name}`}
        @click=${(e: Event) => primary && ctx.act(primary, item, e)}
      >
        ${strings[primary ?? 'pause']}
      </button>
      <button
        part="item-button ${secondary}-button"
        type="button"
        ?disabled=${ctx.disabled}
        aria-label=${`${strings[secondary]} ${name}`}
        @click=${(e: Event) => ctx.act(secondary, item, e)}
      >
        ${strings[secondary]}
      </button>
    </div>
  </li>`;
}

/** The file list (keyed by item id so rows, and the focused button in them, survive state changes). */
export function itemList(items: readonly QueueItem[], ctx: RowContext): TemplateResult {
  return html`<ul part="list" class="list" aria-label=${ctx.strings.listLabel}>
    ${repeat(items, (item) => item.id, (item) => itemRow(item, ctx))}
  </ul>`;
}

/** Files that were not added, each with its reason and a dismiss button. */
export function rejectionList(rejections: readonly Rejection[], ctx: RowContext, dismiss: (id: number) => void): TemplateResult {
  const { strings } = ctx;
  return html`<section part="rejections" aria-labelledby="rejected-heading">
    <h3 part="rejections-heading" id="rejected-heading">${strings.rejectedHeading}</h3>
    <ul part="rejection-list">
      ${repeat(
        rejections,
        (r) => r.id,
        (r) => html`<li part="rejection" class="rejection">
          <span part="rejection-name" class="name">${r.name}</span>
          <span part="rejection-reason" class="reason">${r.message}</span>
          <button part="dismiss-button" type="button" aria-label=${`${strings.dismiss} ${r.name}`} @click=${() => dismiss(r.id)}>
            ${strings.dismiss}
          </button>
        </li>`,
      )}
    </ul>
  </section>`;
}

/** Unfinished uploads from an earlier visit: progress so far, re-select to continue, or discard. */
export function pendingList(
  records: readonly UploadRecord[],
  ctx: RowContext,
  reselect: (record: UploadRecord) => void,
  discard: (record: UploadRecord) => void,
): TemplateResult {
  const { strings, locale } = ctx;
  return html`<section part="pending" aria-labelledby="pending-heading">
    <h3 part="pending-heading" id="pending-heading">${strings.pendingHeading}</h3>
    <p part="pending-hint" class="hint">${strings.pendingHint}</p>
    <ul part="pending-list">
      ${repeat(
        records,
        (r) => r.fingerprint,
        (r) => {
          const name = r.file?.relativePath || r.file?.name || r.key;
          const done = r.parts.reduce((sum, p) => sum + p.size, 0);
          const percent = r.size > 0 ? (done / r.size) * 100 : 0;
          const text = strings.progressText(Math.floor(percent), formatBytes(done, strings, locale), formatBytes(r.size, strings, locale));
          return html`<li part="pending-item" class="item" data-state="pending">
            <span part="thumbnail" class="thumbnail" aria-hidden="true">${extension(name)}</span>
            <div part="item-body" class="body">
              <div part="item-header" class="header">
                <span part="item-name" class="name" title=${name}>${name}</span>
                <span part="item-state" class="state">${strings.states.pending}</span>
              </div>
              ${progressBar(strings.fileProgress(name), percent, text, 'item-progress')}
              <p part="item-meta" class="meta"><span part="item-size">${text}</span></p>
            </div>
            <div part="item-actions" class="actions">
              <button part="item-button reselect-button" type="button" ?disabled=${ctx.disabled} aria-label=${`${strings.reselect}: ${name}`} @click=${() => reselect(r)}>
                ${strings.reselect}
              </button>
              <button part="item-button discard-button" type="button" ?disabled=${ctx.disabled} aria-label=${`${strings.discard} ${name}`} @click=${() => discard(r)}>
                ${strings.discard}
              </button>
            </div>
          </li>`;
        },
      )}
    </ul>
  </section>`;
}

/** Queue-wide buttons the toolbar shows. */
export interface ToolbarActions {
  start(): void;
  pauseAll(): void;
  resumeAll(): void;
  cancelAll(): void;
  clear(): void;
}

/** Total progress (bar, bytes, speed, time left) and the queue-wide buttons, each enabled only when it can act. */
export function toolbar(items: readonly QueueItem[], progress: QueueProgress, showStart: boolean, ctx: RowContext, actions: ToolbarActions): TemplateResult {
  const { strings } = ctx;
  const size = (n: number): string => formatBytes(n, strings, ctx.locale);
  const text = strings.progressText(Math.floor(progress.percent), size(progress.loaded), size(progress.total));
  const has = (...states: Array<QueueItem['state']>): boolean => items.some((i) => states.includes(i.state));
  const running = has('uploading', 'hashing', 'queued');
  const paused = has('paused');
  const moving = running && progress.speed > 0;
  const eta = moving ? formatDuration(progress.eta, strings) : '';
  const off = ctx.disabled;
  return html`<div part="toolbar" class="toolbar">
    <div part="summary" class="summary">
      ${progressBar(strings.totalProgress, progress.percent, text, 'total-progress')}
      <p part="total-text" class="meta">
        <span part="total-size">${text}</span>
        ${moving ? html`<span part="total-speed">${strings.speed(size(progress.speed))}</span>` : nothing}
        ${eta ? html`<span part="total-eta">${strings.timeLeft(eta)}</span>` : nothing}
      </p>
    </div>
    ${showStart && has('queued')
      ? html`<button part="start-button" class="primary" type="button" ?disabled=${off} @click=${actions.start}>${strings.start}</button>`
      : nothing}
    <button part="pause-all-button" type="button" ?disabled=${off || !running} @click=${actions.pauseAll}>${strings.pauseAll}</button>
    <button part="resume-all-button" type="button" ?disabled=${off || !paused} @click=${actions.resumeAll}>${strings.resumeAll}</button>
    <button part="cancel-all-button" type="button" ?disabled=${off || !(running || paused)} @click=${actions.cancelAll}>${strings.cancelAll}</button>
    <button part="clear-button" type="button" ?disabled=${off || !has('done', 'canceled')} @click=${actions.clear}>${strings.clear}</button>
  </div>`;
}
