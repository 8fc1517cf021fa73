// The script-tag page's own code: plain JavaScript, no modules, only `window.CosKit` from coskit.iife.js.
(function () {
  'use strict';
  var CosKit = window.CosKit;
  var log = document.getElementById('log');
  var uploader = document.getElementById('uploader');
  var stored = document.getElementById('stored');
  var client = null;
  var prefix = '';

  function say(text, isError) {
    log.textContent = text;
    log.classList.toggle('error', Boolean(isError));
  }

  if (!CosKit) {
    say('coskit.iife.js did not load (blocked, or the demo server could not build it).', true);
    return;
  }

  fetch('/api/config')
    .then(function (response) {
      if (!response.ok) throw new Error('/api/config answered ' + response.status);
      return response.json();
    })
    .then(function (config) {
      document.getElementById('mode').textContent =
        (config.mode === 'emulator' ? 'local emulator · ' : 'COS · ') + config.bucket + ' (script tag)';
      uploader.setAttribute('bucket', config.bucket);
      uploader.setAttribute('region', config.region);
      uploader.setAttribute('prefix', config.prefix);
      if (config.endpoint) uploader.setAttribute('endpoint', config.endpoint);
      // window.CosKit also carries the whole core client: here it lists what is stored under the prefix.
      client = new CosKit.CosClient({
        bucket: config.bucket,
        region: config.region,
        protocol: config.protocol,
        endpoint: config.endpoint || undefined,
        credentials: function (context) {
          return fetch('/api/sts', { method: 'POST', signal: context.signal }).then(function (r) {
            if (!r.ok) throw new Error('/api/sts answered ' + r.status);
            return r.json();
          });
        },
      });
      prefix = config.prefix;
      return listStored();
    })
    .catch(function (error) {
      say('The demo could not start: ' + error.message, true);
    });

  function listStored() {
    return client.listObjects({ prefix: prefix, maxKeys: 20 }).then(function (page) {
      var items = page.contents.map(function (object) {
        var li = document.createElement('li');
        // textContent: keys are user data and never become markup.
        li.textContent = object.key + ' (' + object.size + ' bytes)';
        return li;
      });
      stored.replaceChildren.apply(stored, items);
    });
  }

  uploader.addEventListener('cos-upload-success', function (event) {
    say('Stored ' + event.detail.key + ' (CRC-64 ' + event.detail.crc64 + ', verified).');
    if (client) listStored().catch(function (error) {
      say('Listing failed: ' + (error.code ? error.code + ': ' : '') + error.message, true);
    });
  });
  uploader.addEventListener('cos-upload-error', function (event) {
    var error = event.detail.error;
    say('Upload failed: ' + (error.code ? error.code + ': ' : '') + error.message, true);
  });
})();
