// supportbot web board: live countdowns, live updates over server-sent events, and the report charts.
// The pages are complete without this script; it only keeps them current.
(function () {
  'use strict';
  var serverNow = Date.parse(document.body.dataset.now || '');
  var offset = isNaN(serverNow) ? 0 : serverNow - Date.now();

  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(m / 1440), h = Math.floor(m / 60) % 24, mm = m % 60;
    var s = d > 0 ? d + 'd' + (h > 0 ? ' ' + h + 'h' : '') : h > 0 ? h + 'h' + (mm > 0 ? ' ' + mm + 'm' : '') : mm + 'm';
    if (s === '0m') return 'now';
    return ms < 0 ? s + ' ago' : 'in ' + s;
  }

  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll('time.countdown[data-deadline]').forEach(function (t) {
      var text = span(Date.parse(t.dataset.deadline) - now);
      if (t.textContent !== text) t.textContent = text;
    });
  }

  function refreshRows(changed) {
    var tbody = document.getElementById('rows');
    fetch('/board/rows' + (tbody.dataset.query || ''), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (r.status === 401) { location.reload(); throw new Error('signed out'); }
        return r.text();
      })
      .then(function (html) {
        tbody.innerHTML = html;
        var row = tbody.querySelector('tr[data-case="' + changed + '"]');
        if (row) row.classList.add('flash');
        var count = document.getElementById('count');
        if (count) count.textContent = String(tbody.querySelectorAll('tr[data-case]').length);
        document.body.dataset.updates = String(Number(document.body.dataset.updates || '0') + 1);
        tick();
      })
      .catch(function () { /* the next change tries again */ });
  }

  function listen() {
    var page = document.body.dataset.page || '';
    if (page !== 'board' && page.indexOf('case:') !== 0) return;
    if (!window.EventSource) return;
    var es = new EventSource('/events');
    var live = document.getElementById('live');
    es.addEventListener('open', function () { if (live) live.hidden = false; document.body.dataset.live = 'open'; });
    es.addEventListener('error', function () { if (live) live.hidden = true; });
    es.addEventListener('signedout', function () { es.close(); location.reload(); });
    es.addEventListener('change', function (e) {
      if (page === 'board') refreshRows(e.data);
      else if (page === 'case:' + e.data) location.reload();
    });
  }

  function charts() {
    var data = document.getElementById('charts');
    if (!data || !window.Chart) return;
    var c = JSON.parse(data.textContent);
    var pct = { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + '%'; } } } };
    function draw(id, type, d, scales, stacked) {
      var el = document.getElementById(id);
      if (!el || !d || !d.labels || d.labels.length === 0) return;
      new window.Chart(el, {
        type: type,
        data: d,
        options: { responsive: true, maintainAspectRatio: false, animation: false, spanGaps: true,
          scales: stacked ? { x: { stacked: true }, y: { stacked: true } } : scales }
      });
      el.dataset.drawn = 'true';
    }
    draw('chart-attainment', 'bar', c.attainment, pct);
    draw('chart-response', 'bar', c.response, {});
    draw('chart-backlog', 'line', c.backlog, { y: { beginAtZero: true } });
    draw('chart-deflection', 'bar', c.deflection, pct);
    draw('chart-billing', 'bar', c.billing, {}, true);
    draw('chart-satisfaction', 'bar', c.satisfaction, { y: { min: 0, max: 5 } });
    document.body.dataset.charts = 'drawn';
  }

  tick();
  setInterval(tick, 1000);
  listen();
  window.addEventListener('load', charts);
})();
