/* Scan to order: the Scan button of an "add by code" form (templates/partials/_scan.html)
   reads barcodes from the rear camera, continuously, and posts each code through the very
   form a typed code goes through; the server says what it added (or why not). The browser's
   BarcodeDetector is used where it reads EAN-13; elsewhere the zxing-wasm reader (built by
   `portal build` as scan.js + zxing_reader.wasm, our own origin) is loaded on the first tap.
   Without a camera or permission the button says why, and the typed field stays. */
(function () {
  "use strict";
  var NATIVE = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "data_matrix"];
  var ZXING = ["EAN13", "EAN8", "UPCA", "UPCE", "Code128", "DataMatrix"];
  var SAME_CODE_MS = 2500;  // a box held in front of the camera is added once
  var EVERY_MS = 150;
  var reader = null;

  function say(form, text, kind) {
    var box = form.querySelector(".scan-result");
    var p = document.createElement("p");
    p.className = "flash flash-" + kind;
    p.textContent = text;
    box.replaceChildren(p);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function nativeReader() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return window.BarcodeDetector.getSupportedFormats().then(function (supported) {
      var formats = NATIVE.filter(function (f) { return supported.indexOf(f) >= 0; });
      if (formats.indexOf("ean_13") < 0) return null;
      var detector = new window.BarcodeDetector({ formats: formats });
      return function (video) {
        return detector.detect(video).then(function (found) {
          return found.map(function (c) { return c.rawValue; });
        });
      };
    }).catch(function () { return null; });
  }

  function wasmReader(form) {
    var lib = window.ZXingWASM ? Promise.resolve() : loadScript(form.dataset.scanLib);
    return lib.then(function () {
      var wasm = form.dataset.scanWasm;
      return window.ZXingWASM.prepareZXingModule({
        overrides: { locateFile: function (path, prefix) {
          return path.endsWith(".wasm") ? wasm : prefix + path;
        } },
        fireImmediately: true
      });
    }).then(function () {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function (video) {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) return Promise.resolve([]);
        canvas.width = w;
        canvas.height = h;
        context.drawImage(video, 0, 0, w, h);
        return window.ZXingWASM.readBarcodes(context.getImageData(0, 0, w, h), {
          formats: ZXING, tryHarder: true, maxNumberOfSymbols: 1
        }).then(function (found) {
          return found.filter(function (r) { return r.isValid; })
            .map(function (r) { return r.text; });
        });
      };
    });
  }

  function getReader(form) {
    if (!reader) {
      reader = nativeReader().then(function (read) { return read || wasmReader(form); });
      reader.catch(function () { reader = null; });
    }
    return reader;
  }

  function stop(form) {
    var scan = form.scanState;
    if (!scan) return;
    form.scanState = null;
    clearTimeout(scan.timer);
    scan.stream.getTracks().forEach(function (t) { t.stop(); });
    form.querySelector("[data-scan-view]").hidden = true;
    form.querySelector("[data-scan-stop]").hidden = true;
    form.querySelector("[data-scan-start]").hidden = false;
  }

  function send(form) {
    var scan = form.scanState;
    if (!scan || scan.sending || !scan.queue.length) return;
    scan.sending = true;
    form.querySelector("input[name=code]").value = scan.queue.shift();
    form.requestSubmit();
  }

  function tick(form) {
    var scan = form.scanState;
    if (!scan) return;
    if (!form.isConnected) { stop(form); return; }
    scan.read(scan.video).then(function (codes) {
      var code = codes[0], now = Date.now();
      if (code && !(code === scan.last && now - scan.lastAt < SAME_CODE_MS)) {
        scan.queue.push(code);
        send(form);
      }
      if (code) { scan.last = code; scan.lastAt = now; }
    }).catch(function () { /* a frame that cannot be read: the next one may */ })
      .then(function () {
        if (form.scanState === scan) scan.timer = setTimeout(function () { tick(form); }, EVERY_MS);
      });
  }

  function start(form, button) {
    var media = navigator.mediaDevices;
    if (!media || !media.getUserMedia) { say(form, button.dataset.noCamera, "error"); return; }
    var video = form.querySelector("[data-scan-view] video");
    media.getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" },
                                                width: { ideal: 1280 } } })
      .then(function (stream) {
        form.scanState = { stream: stream, video: video, queue: [], timer: null };
        video.srcObject = stream;
        form.querySelector("[data-scan-view]").hidden = false;
        form.querySelector("[data-scan-stop]").hidden = false;
        button.hidden = true;
        say(form, button.dataset.scanning, "info");
        return video.play().then(function () { return getReader(form); }).then(function (read) {
          if (!form.scanState) return;
          form.scanState.read = read;
          tick(form);
        }).catch(function () {
          stop(form);
          say(form, button.dataset.failed, "error");
        });
      }, function (error) {
        var name = error && error.name;
        var refused = name === "NotAllowedError" || name === "SecurityError";
        var missing = name === "NotFoundError" || name === "OverconstrainedError";
        say(form, refused ? button.dataset.refused : missing ? button.dataset.missing
          : button.dataset.failed, "error");
      });
  }

  function setup(form) {
    var button = form.querySelector("[data-scan-start]");
    if (!button || form.dataset.scanReady) return;
    form.dataset.scanReady = "1";
    button.hidden = false;
    button.addEventListener("click", function () { start(form, button); });
    form.querySelector("[data-scan-stop]").addEventListener("click", function () { stop(form); });
    form.addEventListener("htmx:afterRequest", function (event) {
      var scan = form.scanState;
      if (!scan || !scan.sending) return;
      scan.sending = false;
      var ok = event.detail.xhr && event.detail.xhr.status < 300;
      if (navigator.vibrate) navigator.vibrate(ok ? 80 : [60, 80, 60]);
      send(form);
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) document.querySelectorAll("[data-scan-form]").forEach(stop);
  });
  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-scan-form]")) setup(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-scan-form]").forEach(setup);
  });
})();
