/* dangjian — minimal progressive enhancement. No inline styles (CSP). */
(function () {
  'use strict';

  var SUBMIT_SEL = 'button[type="submit"], button:not([type]), input[type="submit"]';

  function submitters(form) {
    return form.querySelectorAll(SUBMIT_SEL);
  }

  /* (1) data-confirm: a step before an action that cannot be undone (issue
     10 §7), in a dialog of the page; without JS the form posts as it is.
     data-confirm-when="field:value" asks only when the form's field has
     that value (停用 of an account). */
  var hant = document.documentElement.lang === 'zh-Hant';
  var dialog = null;

  function wanted(el) {
    var when = el.getAttribute('data-confirm-when');
    if (!when) return true;
    var i = when.indexOf(':');
    var form = el.form || el.closest('form');
    var field = form && form.elements[when.slice(0, i)];
    return !!field && field.value === when.slice(i + 1);
  }

  /* Asks msg; calls done() when accepted. */
  function ask(msg, done) {
    if (typeof HTMLDialogElement !== 'function') {
      if (window.confirm(msg)) done();
      return;
    }
    if (!dialog) {
      dialog = document.createElement('dialog');
      dialog.className = 'confirm-dialog';
      dialog.setAttribute('aria-labelledby', 'confirm-text');
      var p = document.createElement('p');
      p.id = 'confirm-text';
      p.className = 'confirm-text';
      var bar = document.createElement('div');
      bar.className = 'confirm-actions';
      var no = document.createElement('button');
      no.type = 'button';
      no.className = 'btn btn-secondary';
      no.value = 'cancel';
      no.textContent = '取消';
      var yes = document.createElement('button');
      yes.type = 'button';
      yes.className = 'btn btn-primary';
      yes.value = 'ok';
      yes.textContent = hant ? '確定' : '确定';
      bar.appendChild(no);
      bar.appendChild(yes);
      dialog.appendChild(p);
      dialog.appendChild(bar);
      no.addEventListener('click', function () { dialog.close('cancel'); });
      yes.addEventListener('click', function () { dialog.close('ok'); });
      document.body.appendChild(dialog);
    }
    dialog.querySelector('.confirm-text').textContent = msg;
    dialog.returnValue = 'cancel';
    dialog.onclose = function () {
      if (dialog.returnValue === 'ok') done();
    };
    dialog.showModal();
    dialog.querySelector('button[value="cancel"]').focus();
  }

  /* on a button or a link: the click waits for the answer */
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-confirm]') : null;
    if (!el || el.tagName === 'FORM') return;
    if (el.getAttribute('data-confirmed') === '1') {
      /* a link asks again next time; a button's mark is read and cleared on submit */
      if (el.tagName === 'A') window.setTimeout(function () { el.removeAttribute('data-confirmed'); }, 0);
      return;
    }
    if (!wanted(el)) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    ask(el.getAttribute('data-confirm'), function () {
      el.setAttribute('data-confirmed', '1');
      el.click();
    });
  }, true);

  /* data-print: a button that prints the page (the activation slips). */
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-print]') : null;
    if (el) window.print();
  });

  /* (1) data-confirm on forms, and (2) disable submit after first submit. */
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form || form.tagName !== 'FORM') return;
    if (form.getAttribute('data-busy') === '1') {
      ev.preventDefault();
      return;
    }
    var btn = ev.submitter;
    var btnConfirmed = btn && btn.getAttribute('data-confirmed') === '1';
    if (btn) btn.removeAttribute('data-confirmed');
    var msg = form.getAttribute('data-confirm');
    if (msg && !btnConfirmed && form.getAttribute('data-confirmed') !== '1' && wanted(form)) {
      ev.preventDefault();
      ask(msg, function () {
        form.setAttribute('data-confirmed', '1');
        if (form.requestSubmit) form.requestSubmit(btn || undefined); else form.submit();
      });
      return;
    }
    form.removeAttribute('data-confirmed');
    if (ev.defaultPrevented) return;
    form.setAttribute('data-busy', '1');
    /* Disable after the submission has been dispatched so the clicked
       button's name/value is still sent with the form. */
    window.setTimeout(function () {
      var list = submitters(form);
      for (var i = 0; i < list.length; i++) {
        if (!list[i].disabled) {
          list[i].disabled = true;
          list[i].setAttribute('data-auto-disabled', '1');
        }
      }
    }, 0);
  });

  /* (4) back + resubmit is the same submission (issue 10 §7): a form's
     idempotency key (_key) is remembered when it is sent, and a page reached
     by the back button gets it again, so the server answers with the order
     the first submission made instead of a second one. The browser restores
     the typed fields but not a hidden field's value. */
  var KEY_SEL = 'form input[name="_key"]';
  document.addEventListener('submit', function (ev) {
    var k = ev.target && ev.target.querySelector ? ev.target.querySelector('input[name="_key"]') : null;
    if (!k || ev.defaultPrevented) return;
    try { window.sessionStorage.setItem('dj_key ' + ev.target.action, k.value); } catch (e) { /* storage off: no guard */ }
  });
  var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
  if (nav && nav.type === 'back_forward') {
    var keys = document.querySelectorAll(KEY_SEL);
    for (var i = 0; i < keys.length; i++) {
      var kept = null;
      try { kept = window.sessionStorage.getItem('dj_key ' + keys[i].form.action); } catch (e) { /* none */ }
      if (kept) keys[i].value = kept;
    }
  }

  /* (2) re-enable when the page comes back from the back/forward cache. */
  window.addEventListener('pageshow', function () {
    var forms = document.querySelectorAll('form[data-busy]');
    for (var i = 0; i < forms.length; i++) forms[i].removeAttribute('data-busy');
    var list = document.querySelectorAll('[data-auto-disabled]');
    for (var j = 0; j < list.length; j++) {
      list[j].disabled = false;
      list[j].removeAttribute('data-auto-disabled');
    }
  });

  /* (3) click a flash message to dismiss it. */
  document.addEventListener('click', function (ev) {
    var f = ev.target.closest ? ev.target.closest('.flash') : null;
    if (f && !ev.target.closest('a, button')) f.classList.add('is-hidden');
  });
  /* data-copy (issue 10 §5): a button that copies a tracking code. */
  function copyFallback(text) {
    var t = document.createElement('textarea');
    t.value = text;
    t.setAttribute('readonly', '');
    t.className = 'sr-only';
    document.body.appendChild(t);
    t.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(t);
    return ok;
  }
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-copy]') : null;
    if (!el) return;
    var text = el.getAttribute('data-copy');
    var done = function () { el.textContent = '已复制 ' + text; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { if (copyFallback(text)) done(); });
    } else if (copyFallback(text)) {
      done();
    }
  });

  /* The orders of this device (issue 10 §5): a tracking page remembers its
     code (data-remember-code), /track lists them (data-device-orders). Kept
     in localStorage only, never sent anywhere. */
  var TRACK_KEY = 'dj_track_codes';
  var CODE_RE = /^[A-Za-z0-9-]{4,24}$/;
  function trackCodes() {
    try {
      var v = JSON.parse(window.localStorage.getItem(TRACK_KEY) || '[]');
      return Array.isArray(v) ? v.filter(function (c) { return typeof c === 'string' && CODE_RE.test(c); }) : [];
    } catch (e) {
      return [];
    }
  }
  var keep = document.querySelector('[data-remember-code]');
  if (keep) {
    var code = keep.getAttribute('data-remember-code');
    if (CODE_RE.test(code)) {
      var kept = trackCodes().filter(function (c) { return c !== code; });
      kept.unshift(code);
      try { window.localStorage.setItem(TRACK_KEY, JSON.stringify(kept.slice(0, 20))); } catch (e) { /* private mode: nothing kept */ }
    }
  }
  var box = document.querySelector('[data-device-orders]');
  if (box) {
    var mine = trackCodes();
    var ul = box.querySelector('ul');
    if (mine.length && ul) {
      for (var k = 0; k < mine.length; k++) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = '/track/' + encodeURIComponent(mine[k]);
        a.textContent = mine[k];
        li.appendChild(a);
        ul.appendChild(li);
      }
      box.classList.remove('is-hidden');
    }
  }
  // QR check-in screen (checkin_web.c): fetch the next minute's code as
  // the shown one expires, so the screen on the wall keeps working.
  var qr = document.querySelector('[data-checkin-src]');
  if (qr && window.fetch) {
    var refresh = function () {
      fetch(qr.getAttribute('data-checkin-src'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (j) {
          if (!j || !j.svg) { window.setTimeout(refresh, 15000); return; }
          var old = qr.querySelector('svg');
          var holder = document.createElement('div');
          holder.innerHTML = j.svg; // our own server's SVG of the scan address
          if (old && holder.firstChild) old.parentNode.replaceChild(holder.firstChild, old);
          var strong = qr.querySelector('.checkin-code strong');
          if (strong) strong.textContent = j.code.slice(0, 4) + ' ' + j.code.slice(4);
          qr.setAttribute('data-expires', String(j.expires));
          schedule();
        })
        .catch(function () { window.setTimeout(refresh, 15000); });
    };
    var schedule = function () {
      var left = parseInt(qr.getAttribute('data-expires'), 10) * 1000 - Date.now();
      window.setTimeout(refresh, Math.max(1000, Math.min(left + 500, 60000)));
    };
    schedule();
  }
  // The big screen (dashboard_web.c, /screen/TOKEN): reload every
  // data-refresh seconds for fresh figures; when the network is down the
  // page stays as it is and the next try comes a period later.
  var screen = document.body && document.body.getAttribute('data-refresh');
  if (screen) {
    window.setInterval(function () {
      if (!window.fetch) { window.location.reload(); return; }
      fetch(window.location.href, { method: 'HEAD', cache: 'no-store' })
        .then(function (res) { if (res.ok || res.status === 410) window.location.reload(); })
        .catch(function () { /* offline: keep showing the last figures */ });
    }, Math.max(15, parseInt(screen, 10) || 60) * 1000);
  }
  /* (5) the bar's menus (layout.c): <details> that open without JS; here one
     open at a time, and Escape or a click elsewhere closes it. */
  var navGroups = document.querySelectorAll('details.navgroup');
  if (navGroups.length) {
    var closeOthers = function (keep) {
      Array.prototype.forEach.call(navGroups, function (g) { if (g !== keep) g.open = false; });
    };
    Array.prototype.forEach.call(navGroups, function (g) {
      g.addEventListener('toggle', function () { if (g.open) closeOthers(g); });
    });
    document.addEventListener('click', function (e) {
      if (!e.target.closest || !e.target.closest('details.navgroup')) closeOthers(null);
    });
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape') return;
      var open = document.querySelector('details.navgroup[open]');
      if (!open) return;
      open.open = false;
      open.querySelector('summary').focus();
    });
  }
  // 数据统计 (dashboard_web.c): on a phone the groups of figures make a long
  // page, so all but the first start folded; each summary opens its group.
  if (window.matchMedia && window.matchMedia('(max-width: 600px)').matches) {
    var groups = document.querySelectorAll('details.dash-group');
    for (var g = 1; g < groups.length; g++) groups[g].removeAttribute('open');
  }
})();
