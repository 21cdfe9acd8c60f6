/* narrate embed player: progressive enhancement of a native <audio controls>.
   Without this script the page still plays, shows the transcript and links chapters.
   With it the page is one compact bar (play, title, time, mute and volume, a seek bar with
   chapter ticks, ±15 s, speed, and a button that opens chapters and transcript), tells the
   page that frames it how tall it is (postMessage) so the snippet can resize the iframe,
   offers lock-screen controls (Media Session), and remembers the place and speed of each
   episode in the reader's own browser (localStorage; never sent anywhere). */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var audio = doc.getElementById("np-audio");
  if (!audio || !audio.addEventListener || !window.JSON || !root.classList) { return; }
  var $ = function (id) { return doc.getElementById(id); };
  var player = $("np-player"), controls = $("np-controls"), playButton = $("np-play");
  var speed = $("np-speed"), seekbar = $("np-seek"), elapsed = $("np-elapsed"), ticks = $("np-ticks");
  var more = $("np-more"), moreButton = $("np-more-button"), moreLink = $("np-more-link");
  var follow = $("np-follow"), shortcuts = $("np-shortcuts"), transcript = $("np-transcript");
  var mute = $("np-mute"), volume = $("np-volume"), level = $("np-level");
  var search = $("np-search"), found = $("np-found"), results = $("np-results"), textLink = $("np-text");
  var framed = window.parent !== window;
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  function media(query) { return window.matchMedia ? window.matchMedia(query) : null; }
  function onChange(list, f) {
    if (!list) { return; }
    if (list.addEventListener) { list.addEventListener("change", f); } else if (list.addListener) { list.addListener(f); }
  }
  var reduce = media("(prefers-reduced-motion: reduce)");

  /* The host's theme: ?theme=light|dark|auto (light when it says nothing; auto follows the
     reader's system), or later a {type: "narrate:theme", theme} message from the host. */
  var theme = "light", systemDark = media("(prefers-color-scheme: dark)");
  function applyTheme() {
    var dark = theme === "dark" || (theme === "auto" && !!systemDark && systemDark.matches);
    root.setAttribute("data-theme", dark ? "dark" : "light");
  }
  function setTheme(name) {
    if (name === "light" || name === "dark" || name === "auto") { theme = name; applyTheme(); }
  }
  var asked = /[?&]theme=([a-z]+)/.exec(location.search);
  setTheme(asked ? asked[1] : "light");
  applyTheme();
  onChange(systemDark, applyTheme);

  /* Remembered per episode (place, speed) and for all (shortcuts, volume, mute, speed).
     Storage may be blocked (privacy settings, third-party frames) or full: then nothing is
     remembered and everything else works. */
  var store = (function () {
    try {
      var s = window.localStorage, probe = "narrate:probe";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) { return null; }
  })();
  function load(key) {
    try {
      var value = store && JSON.parse(store.getItem(key) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (e) { return {}; }
  }
  function save(key, value) {
    try {
      if (store && value) { store.setItem(key, JSON.stringify(value)); } else if (store) { store.removeItem(key); }
    } catch (e) { /* full or blocked: forget quietly */ }
  }
  var placeKey = "narrate:place:" + location.pathname.replace(/\.html?$/, "");
  var prefsKey = "narrate:prefs";
  var place = load(placeKey), prefs = load(prefsKey);
  function num(value) { return typeof value === "number" && isFinite(value) ? value : null; }

  var cues = Array.prototype.slice.call(transcript.querySelectorAll(".cue"));
  /* Sentences holding a link are not buttons (no control inside a control): their links
     are the tab stops; the others share one roving tab stop. */
  var stops = cues.filter(function (c) { return !c.querySelector("a"); });
  var chapters = [];
  var currentCue = null, currentChapter = null;

  function ms(el) { return parseInt(el.getAttribute("data-start"), 10) || 0; }

  /* Time: before the audio's metadata has loaded, a place is kept and applied when it has. */
  var pending = null;
  function now() { return pending !== null ? pending : audio.currentTime || 0; }
  function total() {
    return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : parseFloat(seekbar.max) || 0;
  }
  function setTime(seconds) {
    var t = Math.max(0, Math.min(seconds, total() || Infinity));
    if (audio.readyState < 1) { pending = t; } else { pending = null; audio.currentTime = t; }
    update();
  }
  function start() {
    var p = audio.play();
    if (p && p.catch) { p.catch(function () {}); }
  }
  function toggle() { if (audio.paused || audio.ended) { start(); } else { audio.pause(); } }
  function seek(startMs, andPlay) {
    setTime(startMs / 1000);
    if (andPlay) { start(); }
  }
  function skip(seconds) { setTime(now() + seconds); }

  /* Chapter links become real buttons that seek in place. */
  each($("np-chapters").querySelectorAll("a[data-start]"), function (a) {
    var b = doc.createElement("button");
    b.type = "button";
    b.setAttribute("data-start", a.getAttribute("data-start"));
    while (a.firstChild) { b.appendChild(a.firstChild); }
    b.addEventListener("click", function () { seek(ms(b), true); });
    a.parentNode.replaceChild(b, a);
    chapters.push(b);
  });
  /* Previous (back to this chapter's start, or the one before within its first 3 s) and
     next chapter: for the lock screen, headsets and keyboards' media keys. */
  function chapterStep(dir) {
    var t = now() * 1000, i = chapters.indexOf(lastStarted(chapters, Math.round(t) + 1));
    var to = i + dir;
    if (dir < 0 && i >= 0 && t - ms(chapters[i]) > 3000) { to = i; }
    if (to >= 0 && to < chapters.length) { seek(ms(chapters[to]), false); }
  }

  /* Transcript sentences: one tab stop (roving tabindex), arrows move, Enter/Space/click seek. */
  transcript.classList.add("live");
  stops.forEach(function (c, i) {
    c.setAttribute("role", "button");
    c.tabIndex = i === 0 ? 0 : -1;
  });
  function rove(cue, focus) {
    if (stops.indexOf(cue) < 0) { return; }
    stops.forEach(function (c) { c.tabIndex = c === cue ? 0 : -1; });
    if (focus) { cue.focus(); }
  }
  transcript.addEventListener("click", function (e) {
    var c = e.target.closest ? e.target.closest(".cue") : null;
    var row = !c && e.target.closest ? e.target.closest("tr") : null;
    if (row) { c = row.querySelector(".cue"); }  /* a table row plays from its cue anywhere */
    if (!c || e.target.closest("a")) { return; }
    rove(c, false);
    seek(ms(c), true);
  });
  transcript.addEventListener("keydown", function (e) {
    var c = e.target.closest ? e.target.closest(".cue") : null;
    if (!c || e.target !== c || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var i = stops.indexOf(c), next = null;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); seek(ms(c), true); return; }
    if (e.key === "ArrowDown" || e.key === "ArrowRight") { next = stops[i + 1]; }
    else if (e.key === "ArrowUp" || e.key === "ArrowLeft") { next = stops[i - 1]; }
    else if (e.key === "Home") { next = stops[0]; }
    else if (e.key === "End") { next = stops[stops.length - 1]; }
    if (next) { e.preventDefault(); e.stopPropagation(); rove(next, true); }
  });

  function lastStarted(list, t) {
    var lo = 0, hi = list.length - 1, hit = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (ms(list[mid]) <= t) { hit = list[mid]; lo = mid + 1; } else { hi = mid - 1; }
    }
    return hit;
  }
  function mark(old, cur) {
    if (old === cur) { return cur; }
    if (old) { old.removeAttribute("aria-current"); }
    if (cur) { cur.setAttribute("aria-current", "true"); }
    return cur;
  }
  /* Bring ``el`` to the middle of what scrolls (the chapters-and-transcript box, or the page
     when the frame is too short for the bar to stay). With ``guard``, never when that would
     move the element that has the keyboard's focus out of sight (WCAG 2.4.11). */
  function reveal(el, guard) {
    var box = /auto|scroll/.test(getComputedStyle(more).overflowY) ? more : null;
    var top = box ? box.getBoundingClientRect().top : 0;
    var bottom = box ? top + box.clientHeight : window.innerHeight || root.clientHeight;
    var r = el.getBoundingClientRect();
    if (r.top >= top && r.bottom <= bottom) { return; }
    var delta = Math.round(r.top - top - Math.max(0, (bottom - top - r.height) / 2));
    var f = doc.activeElement;
    if (guard && f && f !== doc.body && f !== root && (!box || box.contains(f))) {
      var fr = f.getBoundingClientRect();
      if (fr.top - delta < top || fr.bottom - delta > bottom) { return; }
    }
    var how = { top: delta, behavior: reduce && reduce.matches ? "auto" : "smooth" };
    if (box) { box.scrollBy(how); } else { window.scrollBy(how); }
  }
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0)), h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  var shownSecond = -1;
  function showTime() {
    var t = now(), second = Math.floor(t);
    seekbar.value = String(t);
    if (second === shownSecond) { return; }
    shownSecond = second;
    elapsed.textContent = clock(t);
    seekbar.setAttribute("aria-valuetext", clock(total()) + " में से " + clock(t));
  }
  function following() { return follow.getAttribute("aria-pressed") === "true" && !more.hidden; }
  function update() {
    showTime();
    var t = Math.round(now() * 1000) + 1;
    currentChapter = mark(currentChapter, lastStarted(chapters, t));
    var before = currentCue;
    currentCue = mark(currentCue, lastStarted(cues, t));
    if (currentCue && currentCue !== before) {
      var focusInside = transcript.contains(doc.activeElement);
      if (!focusInside) { rove(currentCue, false); }
      if (following() && !focusInside) { reveal(currentCue, true); }
    }
  }

  var playLabel = playButton.querySelector(".label");
  function setPlayLabel() {
    var playing = !audio.paused && !audio.ended;
    playButton.classList.toggle("playing", playing);
    playLabel.textContent = playButton.getAttribute(playing ? "data-pause" : "data-play");
    if (session) { session.playbackState = playing ? "playing" : "paused"; }
  }

  /* Speed. */
  function setRate(rate) {
    for (var i = 0; i < speed.options.length; i++) {
      if (parseFloat(speed.options[i].value) === rate) {
        speed.selectedIndex = i;
        audio.defaultPlaybackRate = rate;
        audio.playbackRate = rate;
        return true;
      }
    }
    return false;
  }
  function chooseRate(rate) {
    if (setRate(rate)) { prefs.rate = rate; save(prefsKey, prefs); }
  }
  function stepSpeed(dir) {
    var i = speed.selectedIndex + dir;
    if (i >= 0 && i < speed.options.length) { chooseRate(parseFloat(speed.options[i].value)); }
  }

  /* Volume and mute. Where the volume cannot be set (iOS: the device's buttons), only mute. */
  var canSetVolume = (function () {
    try {
      var v = audio.volume;
      audio.volume = v > 0.5 ? 0.25 : 0.75;
      var works = Math.abs(audio.volume - v) > 0.1;
      audio.volume = v;
      return works;
    } catch (e) { return false; }
  })();
  function showVolume() {
    var percent = Math.round(audio.volume * 100);
    mute.setAttribute("aria-pressed", audio.muted ? "true" : "false");
    volume.value = String(percent);
    volume.setAttribute("aria-valuetext", (audio.muted ? "म्यूट, " : "") + percent + "%");
  }
  var wide = media("(min-width: 40em)");
  function placeVolume() {  /* in the bar when there is room, else with the settings */
    var home = wide && wide.matches ? $("np-volume-bar") : $("np-volume-panel");
    if (level.parentNode === home) { return; }
    var focused = doc.activeElement === volume;
    home.appendChild(level);
    if (focused) { volume.focus(); }
  }

  /* Lock screen, notification and headset controls (Media Session API). */
  var session = navigator.mediaSession && window.MediaMetadata ? navigator.mediaSession : null;
  function artwork() {
    var src = player.getAttribute("data-artwork");
    if (src) { return [{ src: new URL(src, location.href).href }]; }
    /* None given: draw one (the title on the accent colour) rather than fetch anything. */
    var c = doc.createElement("canvas"), g = c.getContext && c.getContext("2d");
    if (!g) { return []; }
    c.width = c.height = 512;
    g.fillStyle = "#0a58ca";
    g.fillRect(0, 0, 512, 512);
    g.fillStyle = "#ffffff";
    g.beginPath(); g.arc(256, 170, 90, 0, 2 * Math.PI); g.fill();
    g.fillStyle = "#0a58ca";
    g.beginPath(); g.moveTo(228, 120); g.lineTo(228, 220); g.lineTo(310, 170); g.closePath(); g.fill();
    g.fillStyle = "#ffffff";
    g.font = "bold 40px " + getComputedStyle(doc.body).fontFamily;
    g.textAlign = "center";
    var words = (player.getAttribute("data-title") || "").split(/\s+/), lines = [""];
    words.forEach(function (w) {
      var line = lines[lines.length - 1], longer = line ? line + " " + w : w;
      if (!line || g.measureText(longer).width <= 440) { lines[lines.length - 1] = longer; }
      else { lines.push(w); }
    });
    if (lines.length > 3) { lines = lines.slice(0, 3); lines[2] += " …"; }
    lines.forEach(function (line, i) { g.fillText(line, 256, 330 + i * 56, 460); });
    try { return [{ src: c.toDataURL("image/png"), sizes: "512x512", type: "image/png" }]; }
    catch (e) { return []; }
  }
  function positionState() {
    if (!session || !session.setPositionState || !(isFinite(audio.duration) && audio.duration > 0)) { return; }
    try {
      session.setPositionState({
        duration: audio.duration, playbackRate: audio.playbackRate || 1,
        position: Math.min(audio.currentTime, audio.duration)
      });
    } catch (e) { /* an inconsistent moment (seeking): the next event sets it */ }
  }
  if (session) {
    try {
      session.metadata = new window.MediaMetadata({
        title: player.getAttribute("data-title") || doc.title,
        artist: player.getAttribute("data-artist") || location.hostname,
        album: player.getAttribute("data-album") || "",
        artwork: artwork()
      });
    } catch (e) { /* metadata is a nicety */ }
    var actions = {
      play: start,
      pause: function () { audio.pause(); },
      stop: function () { audio.pause(); setTime(0); },
      seekbackward: function (d) { skip(-((d && d.seekOffset) || 15)); },
      seekforward: function (d) { skip((d && d.seekOffset) || 15); },
      seekto: function (d) { if (d && isFinite(d.seekTime)) { setTime(d.seekTime); } },
      previoustrack: function () { chapterStep(-1); },
      nexttrack: function () { chapterStep(1); }
    };
    Object.keys(actions).forEach(function (name) {
      try { session.setActionHandler(name, actions[name]); } catch (e) { /* not supported here */ }
    });
  }

  /* The place and speed of this episode. */
  var savedAt = 0;
  function savePlace() {
    var t = audio.ended ? 0 : now(), rate = audio.playbackRate || 1;
    savedAt = t;
    save(placeKey, t < 1 && rate === 1 ? null : { t: Math.round(t * 10) / 10, rate: rate });
  }

  playButton.addEventListener("click", toggle);
  seekbar.addEventListener("input", function () { setTime(parseFloat(seekbar.value) || 0); });
  /* The seek bar's keys: arrows 5 s, Page Up/Down 30 s, Home and End. */
  var seekKeys = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -30, PageUp: 30 };
  seekbar.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === "Home") { setTime(0); }
    else if (e.key === "End") { setTime(total()); }
    else if (Object.prototype.hasOwnProperty.call(seekKeys, e.key)) { skip(seekKeys[e.key]); }
    else { return; }
    e.preventDefault();
  });
  audio.addEventListener("loadedmetadata", function () {
    if (pending !== null) {
      var t = pending;
      pending = null;
      audio.currentTime = Math.min(t, Math.max(0, audio.duration - 1));
    }
  });
  audio.addEventListener("durationchange", function () {
    if (isFinite(audio.duration) && audio.duration > 0) { seekbar.max = String(audio.duration); placeTicks(); }
    positionState();
  });
  audio.addEventListener("timeupdate", function () {
    if (Math.abs(audio.currentTime - savedAt) >= 5) { savePlace(); }
  });
  ["pause", "seeked", "ended"].forEach(function (n) { audio.addEventListener(n, savePlace); });
  ["play", "pause", "ended"].forEach(function (n) { audio.addEventListener(n, setPlayLabel); });
  ["timeupdate", "seeked", "seeking", "loadedmetadata"].forEach(function (n) { audio.addEventListener(n, update); });
  ["seeked", "play", "pause", "loadedmetadata"].forEach(function (n) { audio.addEventListener(n, positionState); });
  audio.addEventListener("ratechange", function () {
    var r = audio.playbackRate;
    for (var i = 0; i < speed.options.length; i++) { if (parseFloat(speed.options[i].value) === r) { speed.selectedIndex = i; } }
    savePlace();
    positionState();
  });
  /* Saved at once, not only on "volumechange" (a queued event a reload can overtake). */
  function keepVolume() {
    showVolume();
    prefs.volume = Math.round(audio.volume * 100) / 100;
    prefs.muted = audio.muted;
    save(prefsKey, prefs);
  }
  function toggleMute() { audio.muted = !audio.muted; keepVolume(); }
  audio.addEventListener("volumechange", keepVolume);
  window.addEventListener("pagehide", savePlace);
  doc.addEventListener("visibilitychange", function () { if (doc.visibilityState === "hidden") { savePlace(); } });
  speed.addEventListener("change", function () { chooseRate(parseFloat(speed.value) || 1); });
  mute.addEventListener("click", toggleMute);
  volume.addEventListener("input", function () {
    audio.volume = Math.max(0, Math.min(1, (parseFloat(volume.value) || 0) / 100));
    if (audio.volume > 0 && audio.muted) { audio.muted = false; }
    keepVolume();
  });
  shortcuts.addEventListener("change", function () { prefs.keys = shortcuts.checked; save(prefsKey, prefs); });

  /* Chapter ticks on the seek bar (placed by script: the CSP allows no style attributes). */
  function placeTicks() {
    var length = total();
    while (ticks.firstChild) { ticks.removeChild(ticks.firstChild); }
    if (!length) { return; }
    chapters.forEach(function (b) {
      var at = ms(b) / 1000;
      if (at <= 0 || at >= length) { return; }
      var tick = doc.createElement("span");
      tick.style.left = (100 * at / length) + "%";
      ticks.appendChild(tick);
    });
  }

  /* In a frame: the height, told to the page that embeds it. The snippet's script resizes
     the iframe and answers {type: "narrate:host"}; a host that strips scripts keeps its
     fixed height, and there "chapters and transcript" opens the full page in a new tab. */
  var lastHeight = 0, hostResizes = false, firstHeight = window.innerHeight;
  function reportHeight() {
    if (!framed) { return; }
    var h = player.getBoundingClientRect().height, style = getComputedStyle(more);
    if (!more.hidden) {  /* all of it, however much the box shows */
      h += $("np-more-body").getBoundingClientRect().height + parseFloat(style.paddingTop) +
        parseFloat(style.paddingBottom);
    }
    h = Math.ceil(h);
    if (h === lastHeight) { return; }
    lastHeight = h;
    window.parent.postMessage({ type: "narrate:height", height: h }, "*");
  }
  function setMode() {
    var fixed = framed && !hostResizes && (window.innerHeight || 0) < 300;
    if (fixed && !more.hidden) { setOpen(false); }
    var focused = doc.activeElement;
    moreLink.hidden = !fixed;
    moreButton.hidden = fixed;
    if (focused === moreLink && !fixed) { moreButton.focus(); }
    if (focused === moreButton && fixed) { moreLink.focus(); }
  }
  function setOpen(open) {
    more.hidden = !open;
    moreButton.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("open", open);
    reportHeight();
    if (open) { update(); if (currentCue && following()) { reveal(currentCue, true); } }
  }
  moreButton.addEventListener("click", function () { setOpen(more.hidden); });
  moreLink.addEventListener("click", function () {
    /* Read on in the full page, from here (#t=); this frame stops. */
    moreLink.href = location.pathname + location.search + "#t=" + Math.floor(now());
    audio.pause();
  });
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (e.source !== window.parent || !framed || !d || typeof d !== "object") { return; }
    if (d.type === "narrate:host") { if (!hostResizes) { hostResizes = true; setMode(); } }
    else if (d.type === "narrate:theme") { setTheme(d.theme); }
  });
  window.addEventListener("resize", function () {
    var h = window.innerHeight;
    if (framed && !hostResizes && h !== firstHeight && Math.abs(h - lastHeight) <= 1) { hostResizes = true; }
    setMode();
    reportHeight();
  });
  $("np-back").addEventListener("click", function () { skip(-15); });
  $("np-fwd").addEventListener("click", function () { skip(15); });
  follow.addEventListener("click", function () {
    var on = follow.getAttribute("aria-pressed") !== "true";
    follow.setAttribute("aria-pressed", on ? "true" : "false");
    if (on && currentCue) { reveal(currentCue, true); }
  });

  /* Keys. Space plays or pauses anywhere in the player except where Space has a meaning of
     its own (buttons, links, fields); Escape closes chapters and transcript. Single-key
     shortcuts (k, j, l, m, <, >) are off while typing or with a modifier, and can be switched
     off (WCAG 2.1.4), which is remembered. */
  function typing(el) {
    var tag = el && el.tagName ? el.tagName.toLowerCase() : "";
    if (tag === "textarea" || tag === "select" || (el && el.isContentEditable)) { return true; }
    return tag === "input" && !/^(range|checkbox|radio|button)$/.test(el.type);
  }
  function ownSpace(el) {
    var tag = el && el.tagName ? el.tagName.toLowerCase() : "";
    return /^(button|a|summary|input)$/.test(tag) && !(tag === "input" && el.type === "range") ||
      (el && el.getAttribute && el.getAttribute("role") === "button");
  }
  doc.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var el = e.target, k = e.key;
    if (k === "Escape" || k === "Esc") {
      if (more.hidden || moreButton.hidden || (el === search && search.value)) { return; }
      setOpen(false);
      moreButton.focus();
      e.preventDefault();
      return;
    }
    if (typing(el)) { return; }
    if (k === " " || k === "Spacebar") {
      if (!ownSpace(el)) { toggle(); e.preventDefault(); }
      return;
    }
    if (!shortcuts.checked) { return; }
    if (k === "k" || k === "K") { toggle(); }
    else if (k === "j" || k === "J") { skip(-15); }
    else if (k === "l" || k === "L") { skip(15); }
    else if (k === "m" || k === "M") { toggleMute(); }
    else if (k === "<" || k === ",") { stepSpeed(-1); }
    else if (k === ">" || k === ".") { stepSpeed(1); }
    else { return; }
    e.preventDefault();
  });

  /* Search within the transcript: the matching sentences listed under the field (each
     plays from its start) and underlined in the transcript. */
  function fold(text) { return (text.normalize ? text.normalize("NFC") : text).replace(/\s+/g, " ").toLowerCase(); }
  function cells(row) {
    var out = [];
    each(row.cells, function (cell) { out.push(cell.textContent.replace(/\s+/g, " ").trim()); });
    return out;
  }
  /* What a cue says as the page shows it: a table row's cue, the whole row. */
  function said(c) {
    var row = c.closest ? c.closest("tr") : null;
    return row ? cells(row).join(" | ") : c.textContent;
  }
  var folded = cues.map(function (c) { return fold(said(c)); });
  var hits = [], announce = 0;
  function result(cue, query) {
    var text = said(cue).replace(/\s+/g, " ").trim(), lower = text.toLowerCase();
    var b = doc.createElement("button"), time = doc.createElement("span"), words = doc.createElement("span");
    b.type = "button";
    time.className = "time";
    time.textContent = clock(ms(cue) / 1000);
    for (var from = 0, at = lower.indexOf(query); at >= 0; at = lower.indexOf(query, from)) {
      words.appendChild(doc.createTextNode(text.slice(from, at)));
      words.appendChild(doc.createElement("mark")).textContent = text.slice(at, at + query.length);
      from = at + query.length;
    }
    words.appendChild(doc.createTextNode(text.slice(from)));
    b.appendChild(time);
    b.appendChild(doc.createTextNode(" "));
    b.appendChild(words);
    b.addEventListener("click", function () { rove(cue, false); seek(ms(cue), true); });
    var li = doc.createElement("li");
    li.appendChild(b);
    return li;
  }
  function find() {
    var query = fold(search.value).trim();
    hits.forEach(function (c) { c.classList.remove("found"); });
    hits = [];
    while (results.firstChild) { results.removeChild(results.firstChild); }
    if (query) {
      cues.forEach(function (c, i) {
        if (folded[i].indexOf(query) < 0) { return; }
        hits.push(c);
        c.classList.add("found");
        results.appendChild(result(c, query));
      });
    }
    results.hidden = !hits.length;
    clearTimeout(announce);
    announce = setTimeout(function () {
      found.textContent = !query ? "" : !hits.length ? "नहीं मिला" :
        hits.length === 1 ? "1 वाक्य में मिला" : hits.length + " वाक्यों में मिला";
    }, 400);
  }
  search.addEventListener("input", find);

  /* The transcript as a text file, made here from the page's own text. */
  function plain(el) { return el.textContent.replace(/\s+/g, " ").trim(); }
  function transcriptText() {
    var out = [];
    each(transcript.querySelectorAll("p, h3, table"), function (el) {
      if (el.tagName === "TABLE") {  /* its caption, then its rows between pipes */
        if (el.caption) { out.push(plain(el.caption)); }
        var lines = [];
        each(el.rows, function (row) {
          var texts = cells(row).map(function (t) { return t.replace(/\|/g, "\\|"); });
          lines.push("| " + texts.join(" | ") + " |");
          if (row.parentNode === el.tHead) { lines.push("|" + texts.map(function () { return " --- "; }).join("|") + "|"); }
        });
        out.push(lines.join("\n"));
        return;
      }
      var text = plain(el), date = el.querySelector(".title-date");
      if (date && plain(date) && text.slice(-plain(date).length) === plain(date)) {
        text = text.slice(0, -plain(date).length).trim() + "\n" + plain(date);
      }
      out.push(text);
    });
    return out.join("\n\n") + "\n";
  }
  var canText = !!(window.Blob && window.URL && URL.createObjectURL);
  if (canText) {
    textLink.href = URL.createObjectURL(new Blob([transcriptText()], { type: "text/plain;charset=utf-8" }));
  }

  /* Start: the script's controls replace the native ones. */
  each(doc.querySelectorAll(".js-only"), function (el) { el.hidden = el === textLink && !canText; });
  audio.removeAttribute("controls");
  root.classList.add("js");
  if (framed) { root.classList.add("framed"); }
  controls.hidden = false;
  playButton.hidden = false;
  level.hidden = !canSetVolume;
  if (prefs.keys === false) { shortcuts.checked = false; }
  if (canSetVolume && num(prefs.volume) !== null) { audio.volume = Math.max(0, Math.min(1, prefs.volume)); }
  if (prefs.muted === true) { audio.muted = true; }
  if (!setRate(num(place.rate) || 0)) { setRate(num(prefs.rate) || 1); }
  placeVolume();
  onChange(wide, placeVolume);
  /* In a frame: the compact bar. On its own (the snippet's plain link): opened. */
  setOpen(!framed);
  setMode();
  placeTicks();
  var linked = /(?:^#|&)t=(\d+(?:\.\d+)?)/.exec(location.hash);
  var resume = linked ? parseFloat(linked[1]) : num(place.t) || 0;
  if (resume > 0 && resume < total() - 1) { setTime(resume); }
  savedAt = now();
  if (window.ResizeObserver) {
    var watch = new window.ResizeObserver(reportHeight);
    watch.observe(player);
    watch.observe(more);
    watch.observe($("np-more-body"));
  }
  reportHeight();
  showVolume();
  setPlayLabel();
  update();
})();
