/* partnerdesk sidebar app: the evidence behind a relocation verdict, and the agent's actions.
 *
 * Plain ES2017 without a build step or runtime dependencies. It talks to Zendesk only
 * through the ZAF client (window.ZAFClient.init()): in Zendesk that is the SDK loaded from
 * Zendesk's CDN, in the browser tests a small fake with the same methods.
 * Every backend call goes through client.request with a JWT that Zendesk's proxy signs with
 * the secure setting shared_secret, so the secret never reaches this page.
 * Text from documents (names, numbers) is only ever inserted as textContent, never as HTML.
 */
(function () {
  'use strict';

  var ROLES = ['transfer', 'excluded', 'contact', 'unclear'];
  var FALLBACK = { 'error.backend': 'The partnerdesk service could not be reached.' };
  var state = { client: null, backend: '', ticketId: null, agentId: null, lang: 'de', strings: {}, view: null };

  function t(key, params) {
    var text = state.strings[key] || FALLBACK[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split('{' + name + '}').join(String(params[name]));
    });
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'onclick') node.addEventListener('click', value);
      else if (name === 'style') Object.keys(value).forEach(function (k) { node.style[k] = value[k]; });
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fmtDate(iso) {
    if (!iso) return '';
    var options = { timeZone: 'Europe/Berlin', weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };
    return new Date(iso).toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB', options);
  }

  function fmtTime(iso) {
    return new Date(iso).toLocaleTimeString(state.lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
  }

  function resize() {
    if (state.client && state.client.invoke) {
      state.client.invoke('resize', { width: '100%', height: Math.min(document.body.scrollHeight + 16, 4000) + 'px' });
    }
  }

  function call(method, path, body) {
    var options = {
      url: state.backend + path,
      type: method,
      contentType: 'application/json',
      dataType: 'json',
      cors: false,
      secure: true,
      headers: { Authorization: 'Bearer {{jwt.token}}' },
      jwt: {
        algorithm: 'HS256',
        secret_key: '{{setting.shared_secret}}',
        expiry: 3600,
        claims: { ticket_id: state.ticketId, agent_id: state.agentId }
      }
    };
    if (body !== undefined) options.data = JSON.stringify(body);
    return state.client.request(options);
  }

  function errorText(failure) {
    var data = failure && (failure.responseJSON || safeJson(failure.responseText));
    // the backend sends a code for every refusal; its sentence (English) is the fallback
    if (data && data.code && state.strings['error.' + data.code]) return t('error.' + data.code);
    if (data && typeof data.detail === 'string') return data.detail;
    return t('error.backend');
  }

  function safeJson(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function badge(kind, text) {
    return el('span', { 'class': 'badge badge-' + kind, text: text });
  }

  /* ---- sections ------------------------------------------------------------------- */

  function caseSection(view) {
    var c = view.case;
    var head = [el('strong', { text: t('case.title') }), ' ', badge(c.outcome || 'none', t('outcome.' + (c.outcome || 'none')))];
    if (c.needs_review) head.push(' ', badge('review', t('case.needs_review')));
    return el('section', { id: 'case' }, [
      el('div', { 'class': 'row' }, head),
      el('div', { 'class': 'muted', text: t('case.state', { state: t('state.' + c.state), when: fmtDate(c.updated_at) }) }),
      el('button', { id: 'rerun', 'class': 'btn', onclick: rerun, text: t('action.rerun') })
    ]);
  }

  function reviewSection(view) {
    if (!view.review_reasons.length) return null;
    return el('section', { id: 'review' }, [
      el('h2', { text: t('review.title') }),
      el('ul', {}, view.review_reasons.map(function (code) {
        return el('li', { 'data-code': code, text: t('review.' + code) });
      }))
    ]);
  }

  function numberRow(row) {
    // a token that is no phone number cannot be approved or rejected as one
    var actions = el('td', { 'class': 'actions' }, !row.first ? [] : [
      el('button', { 'class': 'btn small', title: t('action.approve'), 'aria-label': t('action.approve') + ' ' + row.label, 'data-action': 'approve', text: '✓', onclick: function () { openForm(row, 'approve'); } }),
      el('button', { 'class': 'btn small', title: t('action.reject'), 'aria-label': t('action.reject') + ' ' + row.label, 'data-action': 'reject', text: '✗', onclick: function () { openForm(row, 'reject'); } })
    ]);
    var reason = row.reason ? t('reason.' + row.reason) : '';
    if (row.override) reason += (reason ? ' · ' : '') + t('override.by', { agent: row.override.agent_id || '?', reason: row.override.reason });
    return el('tr', { 'data-first': row.first, 'data-decision': row.decision }, [
      el('td', { 'class': 'num', text: row.label }),
      el('td', {}, [badge(row.decision, t('decision.' + row.decision))]),
      el('td', { 'class': 'reason', text: reason }),
      actions
    ]);
  }

  function numbersSection(view) {
    var rows = view.requested.map(numberRow);
    var parts = [
      el('h2', { text: t('numbers.title') }),
      el('table', { id: 'numbers', 'class': 'grid' }, [
        el('thead', {}, [el('tr', {}, [
          el('th', { text: t('numbers.number') }), el('th', { text: t('numbers.decision') }),
          el('th', { text: t('numbers.reason') }), el('th', {})
        ])]),
        el('tbody', {}, rows.length ? rows : [el('tr', {}, [el('td', { colspan: 4, text: t('numbers.none') })])])
      ]),
      el('div', { id: 'override-form-slot' })
    ];
    if (view.unrequested.length) {
      parts.push(el('p', { 'class': 'muted', text: t('numbers.unrequested') }));
      parts.push(el('ul', { id: 'unrequested' }, view.unrequested.map(function (r) { return el('li', { 'class': 'num', text: r.label }); })));
    }
    return el('section', { id: 'numbers-section' }, parts);
  }

  function openForm(row, action) {
    var slot = document.getElementById('override-form-slot');
    slot.textContent = '';
    var reason = el('textarea', { id: 'override-reason', rows: 2, placeholder: t('override.reason_placeholder') });
    var force = el('input', { type: 'checkbox', id: 'override-force' });
    var message = el('div', { id: 'override-message', 'class': 'error', role: 'alert' });
    var needsForce = action === 'approve' && !row.named;
    var form = el('form', { id: 'override-form', 'class': 'card', 'data-action': action }, [
      el('div', { text: t('override.title_' + action, { number: row.label }) }),
      reason,
      needsForce ? el('label', { 'class': 'warn' }, [force, ' ', t('override.force')]) : null,
      message,
      el('div', { 'class': 'row' }, [
        el('button', { type: 'submit', id: 'override-submit', 'class': 'btn primary', text: t('action.save') }),
        el('button', { type: 'button', 'class': 'btn', text: t('action.cancel'), onclick: function () { slot.textContent = ''; resize(); } })
      ])
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      message.textContent = '';
      var body = { first: row.first, last: row.last, action: action, reason: reason.value.trim(), force: force.checked };
      call('POST', '/app/tickets/' + state.ticketId + '/overrides', body).then(function (view) {
        render(view);
        flash(view.action && view.action.state === 'queued' ? t('flash.queued') : t('override.saved'));
      }, function (failure) {
        message.textContent = errorText(failure);
        resize();
      });
    });
    slot.appendChild(form);
    reason.focus();
    resize();
  }

  function boxFor(page, n) {
    var w = page.width, h = page.height, b = n.bbox;
    return el('div', {
      'class': 'box role-' + n.role,
      'data-role': n.role,
      title: n.label + ' — ' + t('role.' + n.role) + (n.source === 'ocr' ? ' (OCR)' : ''),
      style: {
        left: (100 * b[0] / w) + '%', top: (100 * b[1] / h) + '%',
        width: (100 * (b[2] - b[0]) / w) + '%', height: (100 * (b[3] - b[1]) / h) + '%'
      }
    });
  }

  function legend() {
    return el('div', { 'class': 'legend' }, ROLES.map(function (role) {
      return el('span', { 'class': 'legend-item' }, [el('i', { 'class': 'swatch role-' + role }), t('role.' + role)]);
    }));
  }

  function signatureLine(sig) {
    if (!sig.present) return el('div', { 'class': 'sig sig-none', text: t('signature.none') });
    var who = [sig.signatory, sig.role].filter(Boolean).join(', ');
    return el('div', { 'class': 'sig', text: t('signature.kind_' + sig.kind) + (who ? ': ' + who : '') });
  }

  function documentCard(doc) {
    var body = [el('div', { 'class': 'doc-title' }, [el('strong', { text: doc.file }), ' ', el('span', { 'class': 'muted', text: t('document.pages', { count: doc.pages }) })])];
    if (doc.error) {
      body.push(el('div', { 'class': 'error', text: t('document.error_' + doc.error.code) }));
      return el('div', { 'class': 'document card' }, body);
    }
    body.push(signatureLine(doc.signature));
    if (doc.blanket_clause) body.push(el('div', { 'class': 'warn', text: t('document.blanket') }));
    doc.page_images.forEach(function (page) {
      var boxes = page.numbers.filter(function (n) { return n.bbox; }).map(function (n) { return boxFor(page, n); });
      var img = el('img', { src: state.backend + page.url, alt: t('document.page', { page: page.page }), loading: 'lazy' });
      img.addEventListener('load', resize);
      body.push(el('div', { 'class': 'page-label muted', text: t('document.page', { page: page.page }) + (page.ocr ? ' · OCR' : '') }));
      var sheet = el('div', { 'class': 'page', 'data-page': page.page, title: t('document.zoom') }, [img].concat(boxes));
      // boxes are placed in percent, so they stay on their numbers at any zoom
      sheet.addEventListener('click', function () { sheet.classList.toggle('zoomed'); resize(); });
      body.push(el('div', { 'class': 'page-scroll' }, [sheet]));
    });
    return el('div', { 'class': 'document card', 'data-sha': doc.sha256 }, body);
  }

  function documentsSection(view) {
    return el('section', { id: 'documents' }, [el('h2', { text: t('documents.title') }), legend()].concat(
      view.documents.length ? view.documents.map(documentCard) : [el('p', { 'class': 'muted', text: t('documents.none') })]
    ));
  }

  function schedulingSection(view) {
    var s = view.scheduling;
    var parts = [el('h2', { text: t('scheduling.title') })];
    if (!s) {
      parts.push(el('p', { 'class': 'muted', text: t('scheduling.none') }));
    } else {
      parts.push(el('div', { 'class': 'muted', text: t('scheduling.state', { state: t('scheduling.state_' + s.state) }) }));
      if (s.booked) parts.push(el('div', { id: 'booked', 'class': 'ok' }, [t('scheduling.booked') + ' ', el('strong', { text: fmtDate(s.booked.start) + '–' + fmtTime(s.booked.end) })]));
      if (s.linked_ticket_id) parts.push(el('div', { text: t('scheduling.linked', { id: s.linked_ticket_id }) }));
      if (s.slots.length) {
        parts.push(el('table', { id: 'slots', 'class': 'grid' }, s.slots.map(function (slot) {
          return el('tr', {}, [
            el('td', { text: String(slot.index) }),
            el('td', { text: fmtDate(slot.start) }),
            el('td', {}, ['source', 'target'].map(function (who) {
              var yes = slot.accepted_by.indexOf(who) >= 0;
              return badge(yes ? 'approved' : 'none', t('scheduling.partner_' + who) + (yes ? ' ✓' : ''));
            }))
          ]);
        })));
      }
    }
    var when = el('input', { type: 'datetime-local', id: 'cutover-at' });
    var message = el('div', { id: 'scheduling-message', 'class': 'error', role: 'alert' });
    parts.push(el('div', { 'class': 'row' }, [el('button', { id: 'propose', 'class': 'btn', text: t('action.propose'), onclick: propose })]));
    parts.push(el('div', { 'class': 'row' }, [when, el('button', { id: 'set-cutover', 'class': 'btn', text: t('action.set_cutover'), onclick: function () { setCutover(when.value, message); } })]));
    parts.push(message);
    return el('section', { id: 'scheduling' }, parts);
  }

  /* ---- actions -------------------------------------------------------------------- */

  function flash(text) {
    var node = document.getElementById('flash');
    node.textContent = text;
  }

  function act(path, body, okText, messageNode) {
    return call('POST', '/app/tickets/' + state.ticketId + path, body).then(function (view) {
      render(view);
      flash(view.action && view.action.state === 'queued' ? t('flash.queued') : okText());
    }, function (failure) {
      (messageNode || document.getElementById('flash')).textContent = errorText(failure);
      resize();
    });
  }

  function rerun() { return act('/reevaluate', {}, function () { return t('flash.reevaluated'); }); }
  function propose() { return act('/slots/propose', {}, function () { return t('flash.proposed'); }, document.getElementById('scheduling-message')); }
  function setCutover(value, messageNode) {
    if (!value) { messageNode.textContent = t('scheduling.pick_time'); return null; }
    return act('/cutover', { local_start: value }, function () { return t('flash.cutover_set'); }, messageNode);
  }

  /* ---- page ----------------------------------------------------------------------- */

  function render(view) {
    state.view = view;
    var root = document.getElementById('app');
    root.textContent = '';
    [el('div', { id: 'flash', 'class': 'flash', role: 'status' }), caseSection(view), reviewSection(view), numbersSection(view),
      documentsSection(view), schedulingSection(view)].forEach(function (node) { if (node) root.appendChild(node); });
    root.setAttribute('data-ready', 'true');
    resize();
  }

  function showError(text) {
    var root = document.getElementById('app');
    root.textContent = '';
    root.appendChild(el('div', { id: 'load-error', 'class': 'error', text: text }));
    root.setAttribute('data-ready', 'error');
    resize();
  }

  function load() {
    return call('GET', '/app/tickets/' + state.ticketId).then(render, function (failure) {
      showError(failure && failure.status === 404 ? t('error.no_case') : errorText(failure));
    });
  }

  function start() {
    var client = window.ZAFClient.init();
    state.client = client;
    Promise.all([client.metadata(), client.get(['ticket.id', 'currentUser.id', 'currentUser.locale'])]).then(function (got) {
      var settings = got[0].settings || {};
      state.backend = String(settings.backend_url || '').replace(/\/+$/, '');
      state.ticketId = got[1]['ticket.id'];
      state.agentId = got[1]['currentUser.id'];
      state.lang = String(got[1]['currentUser.locale'] || 'de').slice(0, 2) === 'de' ? 'de' : 'en';
      return client.request({ url: state.backend + '/app/i18n/' + state.lang, type: 'GET', dataType: 'json', cors: false });
    }).then(function (strings) {
      state.strings = strings || {};
      document.documentElement.lang = state.lang;
      return load();
    }).catch(function (failure) {
      showError(errorText(failure));
    });
  }

  window.partnerdeskApp = { start: start, render: render, state: state };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
