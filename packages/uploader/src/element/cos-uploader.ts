/**
 * Registers `<cos-uploader>` and types it for TypeScript: `document.createElement('cos-uploader')` returns a
 * `CosUploader`, and `addEventListener('cos-upload-success', e => e.detail.key)` knows the detail.
 * To register the class under another tag, import `CosUploader` from the package root instead of this file.
 */
import { CosUploader } from './cos-uploader.component.ts';
import type { CosUploaderEventMap } from './events.ts';

export { CosUploader };

// A second copy of the bundle (or a hot reload) must not throw "name already used".
if (!customElements.get('cos-uploader')) customElements.define('cos-uploader', CosUploader);

declare global {
  interface HTMLElementTagNameMap {
    'cos-uploader': CosUploader;
  }
  // Events bubble and are composed, so any ancestor (document, window) can listen with the detail typed.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends CosUploaderEventMap {}
}
