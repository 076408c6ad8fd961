/* A stand-in for Zendesk's ZAF SDK in browser tests: the same methods the app uses.
 * client.request does what Zendesk's proxy does for the app: it replaces
 * {{jwt.token}} with an HS256 JWT over the app's own claims (plus exp), signed with the
 * secure setting, and forwards the request. The test sets window.__ZAF before this runs. */
(function () {
  'use strict';
  var cfg = window.__ZAF;
  var calls = [];

  function b64url(bytes) {
    var s = '';
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function text(s) { return new TextEncoder().encode(s); }

  function sign(claims, secret) {
    var head = b64url(text(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
    var body = b64url(text(JSON.stringify(claims)));
    return crypto.subtle.importKey('raw', text(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      .then(function (key) { return crypto.subtle.sign('HMAC', key, text(head + '.' + body)); })
      .then(function (sig) { return head + '.' + body + '.' + b64url(new Uint8Array(sig)); });
  }

  var client = {
    metadata: function () { return Promise.resolve({ settings: { backend_url: cfg.backendUrl } }); },
    get: function (paths) {
      var out = {};
      [].concat(paths).forEach(function (p) { out[p] = cfg.values[p]; });
      return Promise.resolve(out);
    },
    invoke: function (name, arg) { calls.push([name, arg]); return Promise.resolve(); },
    request: function (opts) {
      calls.push(['request', opts.type || 'GET', opts.url]);
      var headers = Object.assign({}, opts.headers || {});
      var ready = Promise.resolve();
      if (opts.jwt) {
        if (!opts.secure || opts.jwt.secret_key !== '{{setting.shared_secret}}') {
          return Promise.reject({ status: 0, responseText: 'the app must use the secure setting' });
        }
        // Zendesk's proxy adds iat and exp (expiry seconds later) to the app's claims
        var now = Math.floor(Date.now() / 1000);
        var claims = Object.assign({}, opts.jwt.claims, { iat: now, exp: now + opts.jwt.expiry });
        ready = sign(claims, cfg.sharedSecret).then(function (token) {
          Object.keys(headers).forEach(function (k) { headers[k] = headers[k].split('{{jwt.token}}').join(token); });
        });
      }
      if (opts.contentType) headers['Content-Type'] = opts.contentType;
      return ready.then(function () {
        return fetch(opts.url, { method: opts.type || 'GET', headers: headers, body: opts.data });
      }).then(function (response) {
        return response.text().then(function (body) {
          var data = null;
          try { data = JSON.parse(body); } catch (e) { data = null; }
          if (!response.ok) return Promise.reject({ status: response.status, responseText: body, responseJSON: data });
          return data;
        });
      });
    }
  };
  window.ZAFClient = { init: function () { return client; } };
  window.__zafCalls = calls;
})();
