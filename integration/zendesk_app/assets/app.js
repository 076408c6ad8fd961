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
  // The app's own strings (assets/i18n.js, built from translations/*.json): the sidebar
  // speaks the agent's language even when the backend cannot be reached.
  var BUNDLE = window.PARTNERDESK_I18N || {};
  var FALLBACK = { 'error.backend': 'The partnerdesk service could not be reached.' };
  var DATE_INPUT = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})\s*$/;
  var state = { client: null, backend: '', ticketId: null, agentId: null, lang: 'de', strings: BUNDLE.de || {}, view: null, modal: null };

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
    if (state.client && state.client.invoke && !state.modal) {
      state.client.invoke('resize', { width: '100%', height: Math.min(document.body.scrollHeight + 16, 4000) + 'px' });
    }
  }

  /* A number as the letter writes it, the canonical form beside it in smaller type. */
  function numberLabel(item) {
    var written = item.written || item.label;
    var parts = [el('span', { 'class': 'written', text: written })];
    if (item.label && item.label !== written) parts.push(' ', el('small', { 'class': 'canonical', text: item.label }));
    return parts;
  }

  /* "TT.MM.JJJJ HH:MM" -> "YYYY-MM-DDTHH:MM", or null when it is no real date and time. */
  function parseGermanDate(value) {
    var m = DATE_INPUT.exec(value || '');
    if (!m) return null;
    var day = +m[1], month = +m[2], year = +m[3], hour = +m[4], minute = +m[5];
    var probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
    if (hour > 23 || minute > 59) return null;
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return year + '-' + two(month) + '-' + two(day) + 'T' + two(hour) + ':' + two(minute);
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
    // the process comes from the backend's case data, not from this script
    var head = [el('strong', { text: view.process ? t('process.' + view.process) : t('case.title') }), ' ', badge(c.outcome || 'none', t('outcome.' + (c.outcome || 'none')))];
    if (c.needs_review) head.push(' ', badge('review', t('case.needs_review')));
    return el('section', { id: 'case' }, [
      el('div', { 'class': 'row' }, head),
      el('div', { 'class': 'muted', text: t('case.state', { state: t('state.' + c.state), when: fmtDate(c.updated_at) }) }),
      el('button', { id: 'rerun', type: 'button', 'class': 'c-btn c-btn--sm', onclick: rerun, text: t('action.rerun') })
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

  function actionButton(row, action) {
    return el('button', {
      type: 'button', 'class': 'c-btn c-btn--sm' + (action === 'reject' ? ' c-btn--danger' : ''),
      'aria-label': t('action.' + action) + ' ' + row.label, 'data-action': action,
      text: t('action.' + action), onclick: function () { openForm(row, action); }
    });
  }

  function numberRow(row) {
    // Only actions that change something: no approving what is approved, no rejecting what
    // is rejected; a token that is no phone number cannot be decided as one.
    var actions = [];
    if (row.first && row.decision !== 'approved') actions.push(actionButton(row, 'approve'));
    if (row.first && row.decision !== 'rejected') actions.push(actionButton(row, 'reject'));
    var reason = row.reason ? t('reason.' + row.reason) : '';
    if (row.override) reason += (reason ? ' · ' : '') + t('override.by', { agent: row.override.agent_id || '?', reason: row.override.reason });
    return el('li', { 'class': 'num-row', 'data-first': row.first, 'data-decision': row.decision }, [
      el('div', { 'class': 'num-head' }, [el('span', { 'class': 'num' }, numberLabel(row)), badge(row.decision, t('decision.' + row.decision))]),
      reason ? el('div', { 'class': 'reason', text: reason }) : null,
      actions.length ? el('div', { 'class': 'actions' }, actions) : null
    ]);
  }

  function numbersSection(view) {
    var rows = view.requested.map(numberRow);
    var parts = [
      el('h2', { text: t('numbers.title') }),
      el('ul', { id: 'numbers', 'class': 'num-list' }, rows.length ? rows : [el('li', { 'class': 'muted', text: t('numbers.none') })]),
      el('div', { id: 'override-form-slot' })
    ];
    if (view.unrequested.length) {
      parts.push(el('p', { 'class': 'muted', text: t('numbers.unrequested') }));
      parts.push(el('ul', { id: 'unrequested', 'class': 'plain' }, view.unrequested.map(function (r) { return el('li', { 'class': 'num' }, numberLabel(r)); })));
    }
    return el('section', { id: 'numbers-section' }, parts);
  }

  function openForm(row, action) {
    var slot = document.getElementById('override-form-slot');
    slot.textContent = '';
    var reason = el('textarea', { id: 'override-reason', 'class': 'c-field__input c-field__input--area', rows: 2, placeholder: t('override.reason_placeholder') });
    var force = el('input', { type: 'checkbox', id: 'override-force' });
    var message = el('div', { id: 'override-message', 'class': 'error', role: 'alert' });
    var needsForce = action === 'approve' && !row.named;
    var form = el('form', { id: 'override-form', 'class': 'card', 'data-action': action }, [
      el('div', { text: t('override.title_' + action, { number: row.label }) }),
      reason,
      needsForce ? el('label', { 'class': 'warn' }, [force, ' ', t('override.force')]) : null,
      message,
      el('div', { 'class': 'row' }, [
        el('button', { type: 'submit', id: 'override-submit', 'class': 'c-btn c-btn--sm c-btn--primary', text: t('action.save') }),
        el('button', { type: 'button', 'class': 'c-btn c-btn--sm c-btn--basic', text: t('action.cancel'), onclick: function () { slot.textContent = ''; resize(); } })
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
      title: (n.written && n.written !== n.label ? n.written + ' (' + n.label + ')' : n.label) + ' — ' + t('role.' + n.role) + (n.source === 'ocr' ? ' (OCR)' : ''),
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
    if (state.modal) body = [];
    if (doc.error) {
      body.push(el('div', { 'class': 'error', text: t('document.error_' + doc.error.code) }));
      return el('div', { 'class': 'document card' }, body);
    }
    body.push(signatureLine(doc.signature));
    if (doc.blanket_clause) body.push(el('div', { 'class': 'warn', text: t('document.blanket') }));
    doc.page_images.forEach(function (page) {
      if (state.modal && (doc.sha256 !== state.modal.sha || page.page !== state.modal.page)) return;
      var boxes = page.numbers.filter(function (n) { return n.bbox; }).map(function (n) { return boxFor(page, n); });
      var img = el('img', { src: state.backend + page.url, alt: t('document.page', { page: page.page }), loading: 'lazy' });
      img.addEventListener('load', resize);
      body.push(el('div', { 'class': 'page-label muted', text: t('document.page', { page: page.page }) + (page.ocr ? ' · OCR' : '') }));
      var sheet = el('div', { 'class': 'page', 'data-page': page.page, title: t('document.zoom') }, [img].concat(boxes));
      // boxes are placed in percent, so they stay on their numbers at any size
      if (!state.modal) sheet.addEventListener('click', function () { openLarge(doc, page, sheet); });
      body.push(el('div', { 'class': 'page-scroll' }, [sheet]));
    });
    return el('div', { 'class': 'document card', 'data-sha': doc.sha256 }, body);
  }

  /* The page, large, in a Zendesk modal (a second instance of this app showing one page);
   * outside Zendesk, where no modal can be opened, the page is enlarged in place. */
  function openLarge(doc, page, sheet) {
    var url = 'assets/iframe.html#modal=' + encodeURIComponent([state.ticketId, doc.sha256, page.page].join('/'));
    var opened = state.client && state.client.invoke
      ? state.client.invoke('instances.create', { location: 'modal', url: url, size: { width: '80vw', height: '85vh' } })
      : null;
    if (!opened || !opened.then) { sheet.classList.toggle('zoomed'); resize(); return; }
    opened.then(null, function () { sheet.classList.toggle('zoomed'); resize(); });
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
    // a German text field, not the browser's locale widget (mm/dd/yyyy in some browsers)
    var when = el('input', { type: 'text', id: 'cutover-at', 'class': 'c-field__input', inputmode: 'numeric', autocomplete: 'off', placeholder: t('scheduling.date_placeholder'), 'aria-label': t('scheduling.date_label') });
    var message = el('div', { id: 'scheduling-message', 'class': 'error', role: 'alert' });
    parts.push(el('div', { 'class': 'row' }, [el('button', { id: 'propose', type: 'button', 'class': 'c-btn c-btn--sm', text: t('action.propose'), onclick: propose })]));
    parts.push(el('label', { 'class': 'c-field__label', 'for': 'cutover-at', text: t('scheduling.date_label') }));
    parts.push(el('div', { 'class': 'row' }, [when, el('button', { id: 'set-cutover', type: 'button', 'class': 'c-btn c-btn--sm', text: t('action.set_cutover'), onclick: function () { setCutover(when.value, message); } })]));
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
    if (!String(value || '').trim()) { messageNode.textContent = t('scheduling.pick_time'); resize(); return null; }
    var local = parseGermanDate(value);
    if (!local) { messageNode.textContent = t('scheduling.bad_date'); resize(); return null; }
    return act('/cutover', { local_start: local }, function () { return t('flash.cutover_set'); }, messageNode);
  }

  /* ---- page ----------------------------------------------------------------------- */

  function render(view) {
    state.view = view;
    var root = document.getElementById('app');
    root.textContent = '';
    if (state.modal) {
      root.appendChild(legend());
      view.documents.forEach(function (doc) { if (doc.sha256 === state.modal.sha) root.appendChild(documentCard(doc)); });
      root.setAttribute('data-ready', 'true');
      return;
    }
    [el('div', { id: 'flash', 'class': 'flash', role: 'status' }), caseSection(view), reviewSection(view), numbersSection(view),
      documentsSection(view), schedulingSection(view)].forEach(function (node) { if (node) root.appendChild(node); });
    root.setAttribute('data-ready', 'true');
    resize();
  }

  function showError(text) {
    var root = document.getElementById('app');
    root.textContent = '';
    root.appendChild(el('div', { id: 'load-error', 'class': 'error', role: 'alert', text: text }));
    root.setAttribute('data-ready', 'error');
    resize();
  }

  function load() {
    return call('GET', '/app/tickets/' + state.ticketId).then(render, function (failure) {
      showError(failure && failure.status === 404 ? t('error.no_case') : errorText(failure));
    });
  }

  function modalTarget() {
    var m = /[#&]modal=([^&]+)/.exec(window.location.hash || '');
    if (!m) return null;
    var parts = decodeURIComponent(m[1]).split('/');
    return parts.length === 3 ? { ticket: +parts[0], sha: parts[1], page: +parts[2] } : null;
  }

  function start() {
    var client = window.ZAFClient.init();
    state.client = client;
    state.modal = modalTarget();
    if (state.modal) document.body.classList.add('modal');
    var wanted = state.modal ? ['currentUser.id', 'currentUser.locale'] : ['ticket.id', 'currentUser.id', 'currentUser.locale'];
    Promise.all([client.metadata(), client.get(wanted)]).then(function (got) {
      var settings = got[0].settings || {};
      state.backend = String(settings.backend_url || '').replace(/\/+$/, '');
      state.ticketId = state.modal ? state.modal.ticket : got[1]['ticket.id'];
      state.agentId = got[1]['currentUser.id'];
      state.lang = String(got[1]['currentUser.locale'] || 'de').slice(0, 2) === 'de' ? 'de' : 'en';
      state.strings = BUNDLE[state.lang] || BUNDLE.de || {};
      document.documentElement.lang = state.lang;
      return load();
    }).catch(function (failure) {
      showError(errorText(failure));
    });
  }

  window.partnerdeskApp = { start: start, render: render, state: state, parseGermanDate: parseGermanDate };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
