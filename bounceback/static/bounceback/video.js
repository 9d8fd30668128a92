// The video visit's room: one-to-one WebRTC between the member and the clinician, signalled through Bounceback
// over plain HTTP. The browser joins (POST), then asks for news every second (POST): the other side's signals
// since the last one seen, whether they are in the room and how their connection is. The clinician's browser
// makes the offers; the member's answers. Each offer names a session, so answers and candidates of an older
// attempt are ignored. Every state is said in words in the page's live region; when the call cannot connect,
// both sides are shown other ways to reach each other.
(function () {
  "use strict";
  var waiting = document.getElementById("room-waiting");
  if (waiting) {
    // The waiting page shows the room itself once it opens (when that is within a day).
    var opensIn = parseInt(waiting.getAttribute("data-opens-in"), 10);
    if (opensIn >= 0 && opensIn < 86400) {
      setTimeout(function () {
        window.location.reload();
      }, (opensIn + 2) * 1000);
    }
    return;
  }
  var root = document.getElementById("room");
  if (!root) return;

  var role = root.getAttribute("data-role");
  var offerer = role === "clinician";
  var otherName = root.getAttribute("data-other-name");
  var csrf = root.getAttribute("data-csrf");
  var urls = {
    join: root.getAttribute("data-join-url"),
    signal: root.getAttribute("data-signal-url"),
    news: root.getAttribute("data-news-url")
  };
  var pollMs = parseInt(root.getAttribute("data-poll-ms"), 10) || 1000;
  var connectSeconds = parseInt(root.getAttribute("data-connect-seconds"), 10) || 30;

  var statusLine = document.getElementById("room-status");
  var otherLine = document.getElementById("other-status");
  var mediaLine = document.getElementById("media-status");
  var joinActions = document.getElementById("join-actions");
  var joinButton = document.getElementById("room-join");
  var videos = document.getElementById("videos");
  var controls = document.getElementById("room-controls");
  var cameraButton = document.getElementById("toggle-camera");
  var microphoneButton = document.getElementById("toggle-microphone");
  var leaveButton = document.getElementById("room-leave");
  var fallback = document.getElementById("fallback");
  var remoteVideo = document.getElementById("remote-video");
  var localVideo = document.getElementById("local-video");

  var WORDS = {
    joining: "joining",
    connecting: "connecting",
    connected: "connected",
    reconnecting: "reconnecting",
    failed: "failed"
  };

  var joined = false;
  var since = 0;
  var iceServers = [];
  var localStream = null;
  var mediaFailed = false;
  var pc = null;
  var session = null;
  var pending = {}; // candidates that came before their session's description, by session
  var mine = "joining";
  var trouble = false;
  var other = { present: false, state: "away" };
  var otherWasPresent = false;
  var incoming = Promise.resolve(); // signals are handled one after another, in order
  var outgoing = Promise.resolve(); // and sent one after another, so they are stored in order
  var pollTimer = null;
  var connectTimer = null;
  var restartTimer = null;

  function say(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (key) {
      body.append(key, fields[key]);
    });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
      body: body
    }).then(function (response) {
      if (response.redirected || response.status === 401) throw new Error("signed out");
      if (response.status === 404) throw new Error("gone");
      if (!response.ok) throw new Error("refused");
      return response.json();
    });
  }

  function send(kind, payload) {
    outgoing = outgoing
      .then(function () {
        return post(urls.signal, { kind: kind, payload: JSON.stringify(payload || {}) });
      })
      .catch(function () {
        /* a lost signal shows as a connection that does not form: the timeout below says so */
      });
    return outgoing;
  }

  function render() {
    if (!joined) return;
    var words = WORDS[mine] || mine;
    if (!other.present) {
      say(statusLine, "Waiting for " + otherName + " to join.");
      say(otherLine, "You are in the room.");
    } else if (mine === "failed") {
      say(statusLine, "The video could not connect to " + otherName + ". Other ways to reach each other are below.");
      say(otherLine, otherName + "’s connection: " + (WORDS[other.state] || "joining") + ".");
    } else if (mine === "connected") {
      say(statusLine, "Connected to " + otherName + ".");
      say(otherLine, otherName + "’s connection: " + (WORDS[other.state] || "joining") + ".");
    } else {
      say(statusLine, otherName + " is in the room. Your connection: " + words + ".");
      say(otherLine, otherName + "’s connection: " + (WORDS[other.state] || "joining") + ".");
    }
    if (mine === "failed") trouble = true;
    if (mine === "connected") trouble = false;
    // Once the call has failed, the other ways stay on screen until it connects (a retry may fail again).
    fallback.hidden = !(trouble || (other.present && other.state === "failed") || mediaFailed);
  }

  function setMine(state) {
    mine = state;
    if (state === "connected") clearTimeout(connectTimer);
    render();
  }

  function watchForTimeout() {
    clearTimeout(connectTimer);
    connectTimer = setTimeout(function () {
      if (mine !== "connected") setMine("failed");
    }, connectSeconds * 1000);
  }

  function closePeer() {
    if (pc) {
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    session = null;
    remoteVideo.srcObject = null;
  }

  function newPeer(id) {
    closePeer();
    session = id;
    pc = new RTCPeerConnection({ iceServers: iceServers });
    if (localStream) {
      localStream.getTracks().forEach(function (track) {
        pc.addTrack(track, localStream);
      });
    } else {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    var own = pc;
    pc.onicecandidate = function (event) {
      if (!event.candidate || own !== pc) return;
      send("candidate", {
        session: id,
        candidate: event.candidate.candidate,
        sdpMid: event.candidate.sdpMid,
        sdpMLineIndex: event.candidate.sdpMLineIndex
      });
    };
    pc.ontrack = function (event) {
      if (own !== pc) return;
      var stream = event.streams[0] || new MediaStream([event.track]);
      if (remoteVideo.srcObject !== stream) {
        remoteVideo.srcObject = stream;
        remoteVideo.play().catch(function () {});
      }
    };
    pc.onconnectionstatechange = function () {
      if (own !== pc) return;
      var state = pc.connectionState;
      if (state === "connected") setMine("connected");
      else if (state === "disconnected") setMine("reconnecting");
      else if (state === "failed") {
        setMine("failed");
        scheduleRestart();
      } else if (state === "new" || state === "connecting") setMine(mine === "connected" ? "reconnecting" : "connecting");
    };
    setMine("connecting");
    watchForTimeout();
    return pc;
  }

  function sessionId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function call() {
    var id = sessionId();
    var peer = newPeer(id);
    return peer
      .createOffer()
      .then(function (offer) {
        return peer.setLocalDescription(offer);
      })
      .then(function () {
        if (peer === pc) send("offer", { session: id, sdp: peer.localDescription.sdp });
      });
  }

  function scheduleRestart() {
    // The clinician's browser tries once more a few seconds after a failure, while the other side is there.
    if (!offerer || restartTimer) return;
    restartTimer = setTimeout(function () {
      restartTimer = null;
      if (joined && other.present && mine === "failed") incoming = incoming.then(call);
    }, 5000);
  }

  function addCandidate(data) {
    if (!pc || data.session !== session || !pc.remoteDescription) {
      (pending[data.session] = pending[data.session] || []).push(data);
      return Promise.resolve();
    }
    return pc
      .addIceCandidate({ candidate: data.candidate, sdpMid: data.sdpMid, sdpMLineIndex: data.sdpMLineIndex })
      .catch(function () {});
  }

  function flushCandidates() {
    var waiting = pending[session] || [];
    pending = {};
    return waiting.reduce(function (chain, data) {
      return chain.then(function () {
        return addCandidate(data);
      });
    }, Promise.resolve());
  }

  function handle(signal) {
    var data;
    try {
      data = JSON.parse(signal.payload);
    } catch (error) {
      return Promise.resolve();
    }
    if (signal.kind === "hello") {
      if (offerer) return call();
      if (!data.reply) send("hello", { reply: true });
      return Promise.resolve();
    }
    if (signal.kind === "offer" && !offerer) {
      var peer = newPeer(data.session);
      return peer
        .setRemoteDescription({ type: "offer", sdp: data.sdp })
        .then(flushCandidates)
        .then(function () {
          return peer.createAnswer();
        })
        .then(function (answer) {
          return peer.setLocalDescription(answer);
        })
        .then(function () {
          if (peer === pc) send("answer", { session: data.session, sdp: peer.localDescription.sdp });
        });
    }
    if (signal.kind === "answer" && offerer) {
      if (!pc || data.session !== session || pc.signalingState !== "have-local-offer") return Promise.resolve();
      return pc.setRemoteDescription({ type: "answer", sdp: data.sdp }).then(flushCandidates);
    }
    if (signal.kind === "candidate") return addCandidate(data);
    if (signal.kind === "bye") {
      closePeer();
      clearTimeout(connectTimer);
      other = { present: false, state: "away" };
      mine = "joining";
      say(statusLine, otherName + " left the visit. Waiting for " + otherName + " to join again.");
    }
    return Promise.resolve();
  }

  function poll() {
    if (!joined) return;
    post(urls.news, { since: String(since), state: mine })
      .then(function (news) {
        other = news.other;
        if (otherWasPresent && !other.present && pc) {
          // The other side's browser stopped asking for news (closed, asleep, offline).
          closePeer();
          mine = "joining";
        }
        otherWasPresent = other.present;
        news.signals.forEach(function (signal) {
          since = Math.max(since, signal.id);
          incoming = incoming
            .then(function () {
              return handle(signal);
            })
            .catch(function () {
              setMine("failed");
            });
        });
        render();
        pollTimer = setTimeout(poll, news.signals.length >= 100 ? 0 : pollMs);
      })
      .catch(function (error) {
        if (error.message === "gone" || error.message === "signed out") {
          stop();
          release();
          say(
            statusLine,
            error.message === "gone"
              ? "This visit’s room has closed."
              : "You were signed out. Reload this page and sign in again to rejoin."
          );
          say(otherLine, "");
          joinActions.hidden = true;
          return;
        }
        pollTimer = setTimeout(poll, pollMs * 3);
      });
  }

  function startMedia() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) {
      return Promise.reject(new Error("unsupported"));
    }
    return navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  }

  function join() {
    joinButton.disabled = true;
    say(statusLine, "Starting your camera and microphone…");
    startMedia()
      .then(
        function (stream) {
          localStream = stream;
          localVideo.srcObject = stream;
          mediaFailed = false;
        },
        function () {
          localStream = null;
          mediaFailed = true;
        }
      )
      .then(function () {
        return post(urls.join, {});
      })
      .then(function (room) {
        since = room.since;
        iceServers = room.ice_servers || [];
        pollMs = room.poll_ms || pollMs;
        joined = true;
        mine = "joining";
        joinActions.hidden = true;
        videos.hidden = false;
        controls.hidden = false;
        cameraButton.disabled = microphoneButton.disabled = !localStream;
        render();
        if (mediaFailed) {
          say(mediaLine, "Your camera or microphone could not start. Check that this browser may use them, or use the options below.");
        }
        poll();
      })
      .catch(function () {
        joinButton.disabled = false;
        say(statusLine, "Could not join the visit. Check your connection and try again.");
        fallback.hidden = false;
      });
  }

  function stop() {
    joined = false;
    clearTimeout(pollTimer);
    clearTimeout(connectTimer);
    clearTimeout(restartTimer);
    closePeer();
  }

  function release() {
    // The camera and microphone are let go, and the call's part of the page is put away.
    if (localStream) {
      localStream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    localStream = null;
    localVideo.srcObject = null;
    videos.hidden = true;
    controls.hidden = true;
    fallback.hidden = true;
  }

  function leave() {
    stop();
    send("bye", {});
    release();
    joinActions.hidden = false;
    joinButton.disabled = false;
    joinButton.textContent = "Join again";
    say(statusLine, "You left the visit.");
    say(otherLine, "");
    say(mediaLine, "");
    joinButton.focus();
  }

  function toggle(kind, button, offText, onText) {
    if (!localStream) return;
    var tracks = kind === "video" ? localStream.getVideoTracks() : localStream.getAudioTracks();
    var enabled = !(tracks[0] && tracks[0].enabled);
    tracks.forEach(function (track) {
      track.enabled = enabled;
    });
    button.textContent = enabled ? offText : onText;
    say(mediaLine, kind === "video" ? (enabled ? "Your camera is on." : "Your camera is off.") : enabled ? "Your microphone is on." : "Your microphone is muted.");
  }

  joinButton.addEventListener("click", join);
  leaveButton.addEventListener("click", leave);
  cameraButton.addEventListener("click", function () {
    toggle("video", cameraButton, "Turn camera off", "Turn camera on");
  });
  microphoneButton.addEventListener("click", function () {
    toggle("audio", microphoneButton, "Mute microphone", "Unmute microphone");
  });
  window.addEventListener("pagehide", function () {
    if (!joined) return;
    var body = new FormData();
    body.append("kind", "bye");
    body.append("payload", "{}");
    body.append("csrfmiddlewaretoken", csrf);
    navigator.sendBeacon(urls.signal, body);
  });
})();
