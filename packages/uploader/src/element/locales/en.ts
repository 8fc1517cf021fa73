/**
 * English strings of `<cos-uploader>`, and the shape every locale fills. Values that depend on numbers are
 * functions, so a translation can order words and handle plurals its own way.
 */

/** Why a file was not added (the `reason` of `cos-file-rejected`). */
export type RejectionReason = 'type' | 'too-large' | 'too-small' | 'too-many' | 'total-too-large' | 'duplicate' | 'key';

/** Every text the element shows or announces. Pass a partial object to the `strings` property to override some. */
export interface CosUploaderStrings {
  /** Drop-zone text (the `drop-zone` slot replaces it). */
  dropHint: string;
  /** Drop-zone text while files are dragged over it. */
  dropActive: string;
  browse: string;
  browseFolder: string;
  /** Accessible name of the file list. */
  listLabel: string;
  /** Empty-state text (the `empty` slot replaces it). */
  empty: string;
  start: string;
  pauseAll: string;
  resumeAll: string;
  cancelAll: string;
  clear: string;
  pause: string;
  resume: string;
  cancel: string;
  retry: string;
  remove: string;
  dismiss: string;
  /** Button of an unfinished upload from an earlier visit: pick the same file again to continue it. */
  reselect: string;
  discard: string;
  /** Accessible name of the total progress bar. */
  totalProgress: string;
  /** Accessible name of one file's progress bar. */
  fileProgress: (name: string) => string;
  /** `aria-valuetext` of a progress bar and the visible size line. */
  progressText: (percent: number, loaded: string, total: string) => string;
  speed: (perSecond: string) => string;
  timeLeft: (duration: string) => string;
  states: {
    queued: string;
    hashing: string;
    uploading: string;
    paused: string;
    done: string;
    failed: string;
    canceled: string;
    /** An unfinished upload from an earlier visit, waiting for its file. */
    pending: string;
  };
  /** Heading of the unfinished uploads from an earlier visit. */
  pendingHeading: string;
  pendingHint: string;
  /** Heading of the rejected-files list. */
  rejectedHeading: string;
  rejected: Record<RejectionReason, (limit: string) => string>;
  /** Live-region announcements. */
  announce: {
    added: (count: number) => string;
    rejected: (name: string, reason: string) => string;
    done: (name: string) => string;
    failed: (name: string, message: string) => string;
    complete: (done: number, failed: number) => string;
    paused: string;
    resumed: string;
    canceled: string;
  };
  /** Units for sizes, 1024-based (as the COS console shows them). */
  units: readonly [string, string, string, string, string];
  duration: (hours: number, minutes: number, seconds: number) => string;
  /** Shown when the element cannot upload (no bucket/region/credentials, or a bad attribute value). */
  configError: (message: string) => string;
}

export const en: CosUploaderStrings = {
  dropHint: 'Drag files here, paste them, or',
  dropActive: 'Drop to add',
  browse: 'Choose files',
  browseFolder: 'Choose a folder',
  listLabel: 'Files to upload',
  empty: 'No files yet.',
  start: 'Start upload',
  pauseAll: 'Pause all',
  resumeAll: 'Resume all',
  cancelAll: 'Cancel all',
  clear: 'Clear finished',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  dismiss: 'Dismiss',
  reselect: 'Choose file to continue',
  discard: 'Discard',
  totalProgress: 'Total upload progress',
  fileProgress: (name) => `Upload progress of ${name}`,
  progressText: (percent, loaded, total) => `${percent}% (${loaded} of ${total})`,
  speed: (perSecond) => `${perSecond}/s`,
  timeLeft: (duration) => `${duration} left`,
  states: {
    queued: 'Queued',
    hashing: 'Checking',
    uploading: 'Uploading',
    paused: 'Paused',
    done: 'Done',
    failed: 'Failed',
    canceled: 'Canceled',
    pending: 'Unfinished',
  },
  pendingHeading: 'Unfinished uploads',
  pendingHint: 'Choose the same file again to continue where it stopped.',
  rejectedHeading: 'Not added',
  rejected: {
    type: (accept) => `This file type is not accepted (allowed: ${accept})`,
    'too-large': (limit) => `Larger than the ${limit} limit`,
    'too-small': (limit) => `Smaller than the ${limit} minimum`,
    'too-many': (limit) => `More than ${limit} file(s)`,
    'total-too-large': (limit) => `All files together would exceed ${limit}`,
    duplicate: () => 'Already in the list',
    key: (message) => `Cannot be stored under this name: ${message}`,
  },
  announce: {
    added: (count) => (count === 1 ? '1 file added' : `${count} files added`),
    rejected: (name, reason) => `${name} not added: ${reason}`,
    done: (name) => `${name} uploaded`,
    failed: (name, message) => `${name} failed: ${message}`,
    complete: (done, failed) => (failed === 0 ? `All uploads finished: ${done} done` : `Uploads finished: ${done} done, ${failed} failed`),
    paused: 'Uploads paused',
    resumed: 'Uploads resumed',
    canceled: 'Uploads canceled',
  },
  units: ['B', 'KB', 'MB', 'GB', 'TB'],
  duration: (h, m, s) => (h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`),
  configError: (message) => `Uploads are not available: ${message}`,
};
