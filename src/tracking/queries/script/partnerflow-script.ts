/**
 * The script a company's site includes: `<script src="https://<partnerflow>/js/partnerflow.js" data-key="pk_…">`
 * (or `…/partnerflow.js?key=pk_…`). Dependency-free ES2017, no build step; kept under 5 KB gzip by a test.
 *
 * - A page opened with `?pf_ref=<clickId>` (a referral link's redirect) or `?via=<referralKey>` (a shared page URL;
 *   the script records the click) keeps the click id in the first-party cookie `pf_ref` for the company's
 *   `cookieDays`: `last_click` replaces an earlier one, `first_click` keeps it.
 * - `window.Partnerflow.referral`: the click id (or null), for Stripe Checkout's `client_reference_id`.
 * - `Partnerflow.signup({email, name?})`: the visitor's lead for the click's partner (a promise of the lead, or
 *   of null without a click). `Partnerflow.ready`: a promise settled once the page's click is stored.
 */
export const PARTNERFLOW_SCRIPT = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  var src = new URL(script && script.src ? script.src : '/js/partnerflow.js', location.href);
  var key = (script && script.getAttribute('data-key')) || src.searchParams.get('key');
  var api = src.origin;
  var COOKIE = 'pf_ref';
  var CLICK = /^clk_[0-9a-f]{32}_[0-9]{1,9}$/;

  function readCookie() {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === COOKIE) {
        var value = decodeURIComponent(parts[i].slice(eq + 1));
        return CLICK.test(value) ? value : null;
      }
    }
    return null;
  }

  function keep(clickId, settings) {
    var current = readCookie();
    if (current && settings.model === 'first_click') return current;
    var secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = COOKIE + '=' + encodeURIComponent(clickId) + '; Max-Age=' + settings.cookieDays * 86400 + '; Path=/; SameSite=Lax' + secure;
    return clickId;
  }

  function call(method, path, body) {
    var init = { method: method, credentials: 'omit', headers: {} };
    if (body) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(api + path, init).then(function (res) {
      return res.json().then(function (json) {
        if (!res.ok) throw new Error('Partnerflow: ' + (json.detail || res.status));
        return json;
      });
    });
  }

  var pf = { referral: readCookie(), key: key };
  var params = new URLSearchParams(location.search);
  var landed = params.get('pf_ref');
  var via = params.get('via');

  function store(clickId, settings) {
    if (clickId) pf.referral = keep(clickId, settings);
    return pf.referral;
  }

  if (!key) {
    pf.ready = Promise.reject(new Error('Partnerflow: data-key="pk_…" (or ?key=) is missing on the script tag'));
  } else if (landed && CLICK.test(landed)) {
    pf.ready = call('GET', '/v1/track/config?publishableKey=' + encodeURIComponent(key)).then(function (settings) {
      return store(landed, settings);
    });
  } else if (via) {
    pf.ready = call('POST', '/v1/track/clicks', { publishableKey: key, referralKey: via, url: location.href, referrer: document.referrer || undefined }).then(function (click) {
      return store(click.clickId, click);
    });
  } else {
    pf.ready = Promise.resolve(pf.referral);
  }
  pf.ready.catch(function (e) {
    if (window.console) console.warn(e.message);
  });

  pf.signup = function (visitor) {
    return pf.ready.catch(function () {}).then(function () {
      if (!pf.referral) return null;
      return call('POST', '/v1/track/leads', { publishableKey: key, clickId: pf.referral, email: visitor.email, name: visitor.name || undefined });
    });
  };

  window.Partnerflow = pf;
})();
`;
