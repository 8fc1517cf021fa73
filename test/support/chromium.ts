/**
 * The one Chromium every Node-side launcher uses (web-test-runner, the demo test, bench, soak): Debian's package
 * unless CHROMIUM_PATH says otherwise, with the flags headless Chromium needs on a CI box.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** No sandbox (containers), no GPU, no first-run UI, nothing fetched in the background. */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
