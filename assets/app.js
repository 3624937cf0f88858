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
})();
