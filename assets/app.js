/* dangjian — minimal progressive enhancement. No inline styles (CSP). */
(function () {
  'use strict';

  var SUBMIT_SEL = 'button[type="submit"], button:not([type]), input[type="submit"]';

  function submitters(form) {
    return form.querySelectorAll(SUBMIT_SEL);
  }

  /* (1) data-confirm on buttons: ask before the click goes through. */
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('[data-confirm]') : null;
    if (!el || el.tagName === 'FORM') return;
    if (!window.confirm(el.getAttribute('data-confirm'))) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    } else {
      el.setAttribute('data-confirmed', '1');
    }
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
    if (msg && !btnConfirmed && !window.confirm(msg)) {
      ev.preventDefault();
      return;
    }
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
})();
