// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // A form that came back with errors: move focus to the summary, so keyboard and screen
  // reader users start at what to fix (it is announced, and its links lead to the fields).
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
  // On a phone the section menu is one scrolling row: bring the current section into view.
  var current = document.querySelector('nav.sections a[aria-current="page"]');
  var row = current && current.closest('ul');
  if (row && row.scrollWidth > row.clientWidth) row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
})();
(function () {
  'use strict';
  // Timed logout: warn a minute before the session's idle timeout, offer to stay signed in.
  var idle = Number(document.body.getAttribute('data-idle-seconds'));
  if (!idle) return;
  var warnAt = Math.max(idle - 60, idle * 0.8) * 1000;
  var lang = document.documentElement.lang;
  var text = lang === 'hi'
    ? { msg: 'निष्क्रियता के कारण आप एक मिनट में साइन आउट हो जाएँगे।', stay: 'साइन इन रहें', out: 'आप साइन आउट हो गए हैं। फिर से साइन इन करें।' }
    : { msg: 'You will be signed out in one minute because of inactivity.', stay: 'Stay signed in', out: 'You have been signed out. Please sign in again.' };
  var timer, logoutTimer, box;
  function schedule() {
    clearTimeout(timer); clearTimeout(logoutTimer);
    timer = setTimeout(warn, warnAt);
    logoutTimer = setTimeout(expired, idle * 1000);
  }
  function warn() {
    if (box) return;
    box = document.createElement('div');
    box.className = 'idle-warning';
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-live', 'assertive');
    var p = document.createElement('p'); p.textContent = text.msg; box.appendChild(p);
    var b = document.createElement('button'); b.type = 'button'; b.textContent = text.stay;
    b.addEventListener('click', function () {
      fetch('/api/v1/me', { credentials: 'same-origin' }).then(function (r) {
        if (r.ok) { box.remove(); box = null; schedule(); } else { expired(); }
      });
    });
    box.appendChild(b);
    document.body.appendChild(box);
    b.focus();
  }
  function expired() {
    window.location.href = '/signin?expired=1&next=' + encodeURIComponent(location.pathname);
  }
  schedule();
})();
