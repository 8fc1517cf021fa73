/** Styles of `<cos-uploader>`: every colour and size is a `--cos-*` custom property with a light and a dark value. */
import { css } from 'lit';

// Dark values, used under `prefers-color-scheme: dark` (unless theme="light") and with theme="dark".
const dark = css`
  --cos-color-text: #e6e8eb;
  --cos-color-muted: #a3abb5;
  --cos-color-background: #16191d;
  --cos-color-surface: #1f2328;
  --cos-color-border: #3a414a;
  --cos-color-accent: #5aa2ff;
  --cos-color-accent-text: #0b1320;
  --cos-color-success: #4cc38a;
  --cos-color-danger: #ff7b72;
  --cos-color-track: #2c3238;
  --cos-color-drop: #1b2a3d;
  color-scheme: dark;
`;

export const styles = css`
  :host {
    --cos-font-family: system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif;
    --cos-font-size: 0.875rem;
    --cos-radius: 8px;
    --cos-spacing: 0.75rem;
    --cos-thumbnail-size: 40px;
    --cos-progress-height: 6px;
    --cos-focus-ring: 0 0 0 3px color-mix(in srgb, var(--cos-color-accent) 45%, transparent);
    --cos-color-text: #1d2129;
    --cos-color-muted: #5c6470;
    --cos-color-background: #ffffff;
    --cos-color-surface: #f5f7fa;
    --cos-color-border: #c9cdd4;
    --cos-color-accent: #0052d9;
    --cos-color-accent-text: #ffffff;
    --cos-color-success: #00794a;
    --cos-color-danger: #c9353f;
    --cos-color-track: #e5e8ec;
    --cos-color-drop: #eef4ff;
    color-scheme: light;
    display: block;
    container-type: inline-size;
    font-family: var(--cos-font-family);
    font-size: var(--cos-font-size);
    color: var(--cos-color-text);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none;
  }
  :host([disabled]) {
    opacity: 0.6;
  }
  * {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  .base {
    display: grid;
    gap: var(--cos-spacing);
    padding: var(--cos-spacing);
    background: var(--cos-color-background);
    border: 1px solid var(--cos-color-border);
    border-radius: var(--cos-radius);
  }
  .dropzone {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    padding: calc(var(--cos-spacing) * 2);
    border: 2px dashed var(--cos-color-border);
    border-radius: var(--cos-radius);
    background: var(--cos-color-surface);
    text-align: center;
    transition: background-color 150ms, border-color 150ms;
  }
  .dropzone[data-dragging] {
    border-color: var(--cos-color-accent);
    background: var(--cos-color-drop);
  }
  .drop-label {
    margin: 0;
  }
  button {
    font: inherit;
    color: var(--cos-color-text);
    background: var(--cos-color-background);
    border: 1px solid var(--cos-color-border);
    border-radius: calc(var(--cos-radius) / 2);
    padding: 0.3rem 0.7rem;
    min-height: 2rem;
    cursor: pointer;
  }
  button.primary {
    background: var(--cos-color-accent);
    border-color: var(--cos-color-accent);
    color: var(--cos-color-accent-text);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button:focus-visible {
    outline: 2px solid var(--cos-color-accent);
    outline-offset: 2px;
    box-shadow: var(--cos-focus-ring);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .summary {
    flex: 1 1 12rem;
    display: grid;
    gap: 0.25rem;
    min-width: 0;
  }
  .meta,
  .hint {
    color: var(--cos-color-muted);
    font-size: 0.85em;
    margin: 0;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
  }
  .progress {
    height: var(--cos-progress-height);
    border-radius: calc(var(--cos-progress-height) / 2);
    background: var(--cos-color-track);
    overflow: hidden;
  }
  .progress-bar {
    height: 100%;
    background: var(--cos-color-accent);
    transition: width 200ms linear;
  }
  [data-state='done'] .progress-bar {
    background: var(--cos-color-success);
  }
  [data-state='failed'] .progress-bar,
  [data-state='canceled'] .progress-bar {
    background: var(--cos-color-danger);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  h3 {
    font-size: 0.95em;
    margin: 0 0 0.25rem;
  }
  .item {
    display: grid;
    grid-template-columns: var(--cos-thumbnail-size) minmax(0, 1fr) auto;
    align-items: center;
    gap: 0.75rem;
    padding: 0.5rem;
    border: 1px solid var(--cos-color-border);
    border-radius: var(--cos-radius);
    background: var(--cos-color-surface);
  }
  .thumbnail {
    width: var(--cos-thumbnail-size);
    height: var(--cos-thumbnail-size);
    border-radius: calc(var(--cos-radius) / 2);
    background: var(--cos-color-track);
    display: grid;
    place-items: center;
    overflow: hidden;
    color: var(--cos-color-muted);
    font-size: 0.7em;
    text-transform: uppercase;
  }
  .thumbnail img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .body {
    display: grid;
    gap: 0.25rem;
    min-width: 0;
  }
  .header {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
    min-width: 0;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 500;
  }
  .state {
    flex: none;
    color: var(--cos-color-muted);
    font-size: 0.85em;
  }
  [data-state='done'] .state {
    color: var(--cos-color-success);
  }
  [data-state='failed'] .state,
  .error,
  .reason {
    color: var(--cos-color-danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    justify-content: flex-end;
  }
  .rejection {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: center;
  }
  .rejection .reason {
    flex: 1 1 10rem;
  }
  .alert {
    margin: 0;
    color: var(--cos-color-danger);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @container (max-width: 420px) {
    .item {
      grid-template-columns: minmax(0, 1fr);
    }
    .thumbnail {
      display: none;
    }
    .actions {
      justify-content: flex-start;
    }
    .dropzone {
      padding: var(--cos-spacing);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .dropzone,
    .progress-bar {
      transition: none;
    }
  }
`;
