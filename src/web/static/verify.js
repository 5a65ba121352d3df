// Camera scanning on /verify — progressive enhancement: without JavaScript (or without a
// camera) the page still takes a file upload or the pasted QR text. The QR decoder
// (jsQR) is loaded from our own origin only when the camera is used, to spare slow
// connections.
(function () {
  'use strict';
  var box = document.getElementById('scanner');
  var form = document.getElementById('verify-form');
  var textarea = document.getElementById('qr');
  var focusTarget = document.getElementById('result') || document.getElementById('verify-error');
  if (focusTarget) focusTarget.focus();
  if (!box || !form || !textarea) return;
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function' || !window.isSecureContext) return;
  box.hidden = false;
  var button = document.getElementById('scan-button');
  var video = document.getElementById('scan-video');
  var status = document.getElementById('scan-status');
  var canvas = document.createElement('canvas');
  var stream = null;
  var timer = null;

  function loadDecoder() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var s = document.createElement('script');
      s.src = '/vendor/jsqr.js';
      s.onload = function () { window.jsQR ? resolve(window.jsQR) : reject(new Error('decoder')); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    button.textContent = box.getAttribute('data-label-start');
  }

  function tick(jsQR) {
    if (!stream || video.readyState < 2) return;
    var w = video.videoWidth, h = video.videoHeight;
    var scale = Math.min(1, 960 / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    var g = canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(video, 0, 0, canvas.width, canvas.height);
    var img = g.getImageData(0, 0, canvas.width, canvas.height);
    var code = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
    if (code && code.data) {
      stop();
      textarea.value = code.data;
      form.submit();
    }
  }

  button.addEventListener('click', function () {
    if (stream) return stop();
    Promise.all([loadDecoder(), navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })])
      .then(function (r) {
        stream = r[1];
        video.srcObject = stream;
        video.hidden = false;
        button.textContent = box.getAttribute('data-label-stop');
        status.textContent = video.getAttribute('aria-label');
        return video.play().then(function () { timer = setInterval(function () { tick(r[0]); }, 250); });
      })
      .catch(function () {
        stop();
        status.textContent = box.getAttribute('data-unavailable');
      });
  });
})();
