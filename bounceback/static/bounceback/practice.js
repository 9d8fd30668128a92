// The guided mindfulness timer: 5, 10 or 20 minutes; start, pause, reset; a soft bell at the end.
(function () {
  "use strict";
  var root = document.getElementById("timer");
  if (!root) return;
  var display = document.getElementById("timer-display");
  var status = document.getElementById("timer-status");
  var record = document.getElementById("timer-record");
  var startBtn = document.getElementById("timer-start");
  var pauseBtn = document.getElementById("timer-pause");
  var resetBtn = document.getElementById("timer-reset");
  var breath = document.getElementById("breath");
  var total = 300, left = 300, ticking = null, lastTick = 0;

  function chosenMinutes() {
    var checked = root.querySelector("input[name=length]:checked");
    return checked ? parseInt(checked.value, 10) : 5;
  }
  function fmt(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function minutes(n) { return n + (n === 1 ? " minute" : " minutes"); }
  function show() { display.textContent = fmt(left); }
  function say(text) { status.textContent = text; }

  function bell() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    var ctx = new Ctx();
    [528, 792].forEach(function (freq, i) {
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(i ? 0.05 : 0.18, ctx.currentTime + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 4);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 4.2);
    });
  }

  function finish() {
    stop();
    left = 0;
    show();
    bell();
    say("Time is up. Well done.");
    startBtn.disabled = true;
    pauseBtn.disabled = true;
    resetBtn.disabled = false;
    breath.classList.remove("breathing");
    // Visitors' sessions are not recorded: the page already says so, once.
    if (!root.dataset.doneUrl) return;
    var body = new URLSearchParams({ minutes: String(total / 60) });
    fetch(root.dataset.doneUrl, {
      method: "POST",
      headers: { "X-CSRFToken": root.dataset.csrf },
      body: body,
      credentials: "same-origin",
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.recorded) {
        record.textContent = "Recorded " + minutes(data.minutes) + ".";
        var done = document.getElementById("minutes-done");
        if (done) done.textContent = data.total_minutes;
      } else {
        record.textContent = data.reason;
      }
    }).catch(function () { record.textContent = "Could not record this session."; });
  }

  function tick() {
    var now = Date.now();
    var elapsed = Math.round((now - lastTick) / 1000);
    if (elapsed < 1) return;
    lastTick += elapsed * 1000;
    left = Math.max(0, left - elapsed);
    show();
    if (left > 0 && left % 60 === 0) say(minutes(left / 60) + " left.");
    if (left === 0) finish();
  }
  function stop() { if (ticking) { clearInterval(ticking); ticking = null; } }

  startBtn.addEventListener("click", function () {
    if (left === total) { total = chosenMinutes() * 60; left = total; show(); }
    lastTick = Date.now();
    ticking = setInterval(tick, 250);
    startBtn.disabled = true;
    pauseBtn.disabled = false;
    resetBtn.disabled = false;
    breath.classList.add("breathing");
    say("Started: " + minutes(total / 60) + ".");
  });
  pauseBtn.addEventListener("click", function () {
    stop();
    startBtn.disabled = false;
    startBtn.textContent = "Resume";
    pauseBtn.disabled = true;
    breath.classList.remove("breathing");
    say("Paused with " + fmt(left) + " left.");
  });
  resetBtn.addEventListener("click", function () {
    stop();
    total = chosenMinutes() * 60;
    left = total;
    show();
    startBtn.disabled = false;
    startBtn.textContent = "Start";
    pauseBtn.disabled = true;
    resetBtn.disabled = true;
    record.textContent = "";
    breath.classList.remove("breathing");
    say("Timer ready: " + minutes(total / 60) + ".");
  });
  root.querySelectorAll("input[name=length]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (ticking) return;
      total = chosenMinutes() * 60;
      left = total;
      show();
      startBtn.textContent = "Start";
      say("Timer ready: " + minutes(total / 60) + ".");
    });
  });
  show();
})();
