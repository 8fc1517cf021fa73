/** `import '@coskit/uploader/define'` registers `<cos-uploader>` (a side effect; the package root registers nothing). */
import './element/cos-uploader.ts';

export { CosUploader } from './element/cos-uploader.component.ts';
