// Light / dark / system switch shared by the demo pages. A classic script loaded in <head> (no inline script, so it
// works under the script-tag page's CSP) that applies the saved choice before first paint.
(function () {
  var KEY = 'coskit-demo-theme';
  var saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch (e) {
    /* storage disabled: follow the system */
  }
  function apply(theme) {
    var root = document.documentElement;
    if (theme === 'light' || theme === 'dark') root.setAttribute('data-theme', theme);
    else root.removeAttribute('data-theme');
    // <cos-uploader> has its own `theme` attribute; without it, it follows prefers-color-scheme like the page.
    document.querySelectorAll('cos-uploader').forEach(function (el) {
      if (theme === 'light' || theme === 'dark') el.setAttribute('theme', theme);
      else el.removeAttribute('theme');
    });
  }
  apply(saved);
  document.addEventListener('DOMContentLoaded', function () {
    apply(saved);
    var select = document.getElementById('theme');
    if (!select) return;
    select.value = saved === 'light' || saved === 'dark' ? saved : 'system';
    select.addEventListener('change', function () {
      saved = select.value === 'system' ? null : select.value;
      try {
        if (saved) localStorage.setItem(KEY, saved);
        else localStorage.removeItem(KEY);
      } catch (e) {
        /* not persisted */
      }
      apply(saved);
    });
  });
})();
