/* narrate embed player: progressive enhancement of a native <audio controls>.
   Without this script the page still plays, shows the transcript and links chapters.
   With it the page is one compact bar (play, title, time, a seek bar with chapter ticks,
   speed, and a button that opens chapters and transcript), and it tells the page that
   frames it how tall it is (postMessage), so the snippet can resize the iframe. */
(function () {
  "use strict";
  var audio = document.getElementById("np-audio");
  if (!audio || !audio.addEventListener) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var controls = $("np-controls"), play = $("np-play"), speed = $("np-speed");
  var follow = $("np-follow"), shortcuts = $("np-shortcuts"), transcript = $("np-transcript");
  var player = $("np-player"), seekbar = $("np-seek"), elapsed = $("np-elapsed");
  var more = $("np-more"), moreButton = $("np-more-button"), ticks = $("np-ticks");
  var main = $("np-main");
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  var cues = Array.prototype.slice.call(transcript.querySelectorAll(".cue"));
  /* Sentences holding a link are not buttons (no control inside a control): their links
     are the tab stops; the others share one roving tab stop. */
  var stops = cues.filter(function (c) { return !c.querySelector("a"); });
  var chapters = [];
  var currentCue = null, currentChapter = null;

  function ms(el, name) { return parseInt(el.getAttribute(name), 10) || 0; }

  function seek(startMs, andPlay) {
    audio.currentTime = startMs / 1000;
    update();
    if (andPlay) {
      var p = audio.play();
      if (p && p.catch) { p.catch(function () {}); }
    }
  }

  /* Chapter links become real buttons that seek in place. */
  Array.prototype.forEach.call($("np-chapters").querySelectorAll("a[data-start]"), function (a) {
    var b = document.createElement("button");
    b.type = "button";
    b.setAttribute("data-start", a.getAttribute("data-start"));
    while (a.firstChild) { b.appendChild(a.firstChild); }
    b.addEventListener("click", function () { seek(ms(b, "data-start"), true); });
    a.parentNode.replaceChild(b, a);
    chapters.push(b);
  });

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
    if (!c || e.target.closest("a")) { return; }
    rove(c, false);
    seek(ms(c, "data-start"), true);
  });
  transcript.addEventListener("keydown", function (e) {
    var c = e.target.closest ? e.target.closest(".cue") : null;
    if (!c || e.target !== c || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var i = stops.indexOf(c), next = null;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); seek(ms(c, "data-start"), true); return; }
    if (e.key === "ArrowDown" || e.key === "ArrowRight") { next = stops[i + 1]; }
    else if (e.key === "ArrowUp" || e.key === "ArrowLeft") { next = stops[i - 1]; }
    else if (e.key === "Home") { next = stops[0]; }
    else if (e.key === "End") { next = stops[stops.length - 1]; }
    if (next) { e.preventDefault(); e.stopPropagation(); rove(next, true); }
  });

  function lastStarted(list, t) {
    var lo = 0, hi = list.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (ms(list[mid], "data-start") <= t) { found = list[mid]; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function mark(old, now) {
    if (old === now) { return now; }
    if (old) { old.removeAttribute("aria-current"); }
    if (now) { now.setAttribute("aria-current", "true"); }
    return now;
  }
  function inView(el) {
    var r = el.getBoundingClientRect(), top = player ? player.getBoundingClientRect().bottom : 0;
    if (top < 0 || (player && getComputedStyle(player).position !== "sticky")) { top = 0; }
    return r.top >= top && r.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0)), h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  var shownSecond = -1;
  function total() {
    return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : parseFloat(seekbar.max) || 0;
  }
  function showTime() {
    var now = audio.currentTime, second = Math.floor(now);
    seekbar.value = String(now);
    if (second === shownSecond) { return; }
    shownSecond = second;
    elapsed.textContent = clock(now);
    seekbar.setAttribute("aria-valuetext", clock(total()) + " में से " + clock(now));
  }
  function update() {
    showTime();
    var t = Math.round(audio.currentTime * 1000) + 1;
    currentChapter = mark(currentChapter, lastStarted(chapters, t));
    var before = currentCue;
    currentCue = mark(currentCue, lastStarted(cues, t));
    if (currentCue && currentCue !== before) {
      var focusInside = transcript.contains(document.activeElement);
      if (!focusInside) { rove(currentCue, false); }
      if (follow.getAttribute("aria-pressed") === "true" && !focusInside && !more.hidden && !inView(currentCue)) {
        currentCue.scrollIntoView({ block: "center", behavior: reduce && reduce.matches ? "auto" : "smooth" });
      }
    }
  }

  function setPlayLabel() {
    var playing = !audio.paused && !audio.ended;
    play.querySelector(".label").textContent = play.getAttribute(playing ? "data-pause" : "data-play");
    play.querySelector(".icon").textContent = playing ? "⏸" : "▶";
  }
  function toggle() {
    if (audio.paused || audio.ended) {
      var p = audio.play();
      if (p && p.catch) { p.catch(function () {}); }
    } else { audio.pause(); }
  }
  function skip(seconds) {
    var end = isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.max(0, Math.min(end, audio.currentTime + seconds));
    update();
  }
  function stepSpeed(dir) {
    var i = speed.selectedIndex + dir;
    if (i >= 0 && i < speed.options.length) { speed.selectedIndex = i; applySpeed(); }
  }
  function applySpeed() {
    var rate = parseFloat(speed.value) || 1;
    audio.defaultPlaybackRate = rate;
    audio.playbackRate = rate;
  }

  play.addEventListener("click", toggle);
  seekbar.addEventListener("input", function () {
    audio.currentTime = parseFloat(seekbar.value) || 0;
    update();
  });
  audio.addEventListener("durationchange", function () {
    if (isFinite(audio.duration) && audio.duration > 0) { seekbar.max = String(audio.duration); placeTicks(); }
  });

  /* Chapter ticks on the seek bar (placed by script: the CSP allows no style attributes). */
  function placeTicks() {
    var length = total();
    while (ticks.firstChild) { ticks.removeChild(ticks.firstChild); }
    if (!length) { return; }
    chapters.forEach(function (b) {
      var at = ms(b, "data-start") / 1000;
      if (at <= 0 || at >= length) { return; }
      var tick = document.createElement("span");
      tick.style.left = (100 * at / length) + "%";
      ticks.appendChild(tick);
    });
  }

  /* The frame's height, told to the page that embeds it; the snippet resizes the iframe. */
  var lastHeight = 0;
  function reportHeight() {
    if (window.parent === window) { return; }
    var h = Math.ceil(main.getBoundingClientRect().height);
    if (h === lastHeight) { return; }
    lastHeight = h;
    window.parent.postMessage({ type: "narrate:height", height: h }, "*");
  }
  function setOpen(open) {
    more.hidden = !open;
    moreButton.setAttribute("aria-expanded", open ? "true" : "false");
    reportHeight();
    if (open) { update(); }
  }
  moreButton.addEventListener("click", function () { setOpen(more.hidden); });
  $("np-back").addEventListener("click", function () { skip(-15); });
  $("np-fwd").addEventListener("click", function () { skip(15); });
  speed.addEventListener("change", applySpeed);
  follow.addEventListener("click", function () {
    follow.setAttribute("aria-pressed", follow.getAttribute("aria-pressed") === "true" ? "false" : "true");
  });
  ["play", "pause", "ended"].forEach(function (n) { audio.addEventListener(n, setPlayLabel); });
  ["timeupdate", "seeked", "seeking", "loadedmetadata"].forEach(function (n) { audio.addEventListener(n, update); });
  audio.addEventListener("ratechange", function () {
    var r = String(audio.playbackRate);
    for (var i = 0; i < speed.options.length; i++) { if (speed.options[i].value === r) { speed.selectedIndex = i; } }
  });

  /* Single-key shortcuts (k, j, l, <, >): off while typing in a field or with a modifier,
     and can be switched off (WCAG 2.1.4). */
  document.addEventListener("keydown", function (e) {
    if (!shortcuts.checked || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var el = e.target, tag = el && el.tagName ? el.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (el && el.isContentEditable)) { return; }
    var k = e.key;
    if (k === "k" || k === "K") { toggle(); }
    else if (k === "j" || k === "J") { skip(-15); }
    else if (k === "l" || k === "L") { skip(15); }
    else if (k === "<" || k === ",") { stepSpeed(-1); }
    else if (k === ">" || k === ".") { stepSpeed(1); }
    else { return; }
    e.preventDefault();
  });

  /* Keep focused items clear of the sticky player (WCAG 2.4.11). */
  function stickyPad() {
    var sticky = player && getComputedStyle(player).position === "sticky";
    document.documentElement.style.setProperty("--sticky", sticky ? (player.offsetHeight + 8) + "px" : "0px");
  }
  window.addEventListener("resize", stickyPad);

  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
  audio.removeAttribute("controls");  /* one set of controls: ours */
  document.documentElement.classList.add("js");
  controls.hidden = false;
  play.hidden = false;
  /* In a frame: the compact bar. On its own (the snippet's plain link): opened. */
  more.hidden = window.parent === window ? false : true;
  moreButton.setAttribute("aria-expanded", more.hidden ? "false" : "true");
  placeTicks();
  if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(main); }
  window.addEventListener("resize", reportHeight);
  reportHeight();
  stickyPad();
  setPlayLabel();
  update();
})();
