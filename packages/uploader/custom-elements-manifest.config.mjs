/**
 * custom-elements.json for @coskit/uploader, generated from the JSDoc header of the element class (`@event`,
 * `@csspart`, `@cssproperty`, `@slot`). Run by the npm build (see vite.config.ts) or `npx cem analyze` here.
 */
export default {
  globs: ['src/element/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/element/locales/**'],
  outdir: '.',
  litelement: true,
  // package.json already points at custom-elements.json; the analyzer must not rewrite it.
  packagejson: false,
};
