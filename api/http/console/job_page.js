// The job page: live charts and the per-endpoint table from the job's event stream, the
// controls (users, rate, pause, stop) and the report downloads.
'use strict';

const JobPage = (() => {
  const kMaxPoints = 3600;  // an hour of one-second snapshots per chart
  const $ = (id) => document.getElementById(id);
  let current = null;  // {id, job, abort, charts, series, final}

  function number(value) { return Number(value || 0); }
  function fixed(value, digits) { return number(value).toFixed(digits); }

  const kCharts = [
    {id: 'chart-rps', labels: ['time', 'req/s'],
     values: (s) => [number(s.aggregated && s.aggregated.rps)]},
    {id: 'chart-failures', labels: ['time', 'failures/s'], colors: ['#c0392b'],
     values: (s) => [number(s.aggregated && s.aggregated.failures_per_s)]},
    {id: 'chart-latency', labels: ['time', 'p50', 'p95', 'p99'],
     values: (s) => {
       const l = (s.aggregated && s.aggregated.interval) || {};
       return [number(l.p50_ms), number(l.p95_ms), number(l.p99_ms)];
     }},
    {id: 'chart-users', labels: ['time', 'active', 'target'],
     values: (s) => [number(s.totals && s.totals.active_users),
                     number(s.totals && s.totals.target_users)]},
  ];

  function resetCharts() {
    for (const spec of kCharts) {
      const div = $(spec.id);
      div.innerHTML = '';
      div.dataset.points = '0';
    }
    return kCharts.map(() => ({graph: null, rows: []}));
  }

  function plot(snapshot) {
    const time = snapshot.time ? new Date(snapshot.time) : new Date();
    kCharts.forEach((spec, i) => {
      const chart = current.charts[i];
      chart.rows.push([time].concat(spec.values(snapshot)));
      if (chart.rows.length > kMaxPoints) chart.rows.shift();
      const div = $(spec.id);
      if (!chart.graph) {
        const options = {labels: spec.labels, legend: 'always', labelsSeparateLines: false,
                         includeZero: true, drawPoints: false, strokeWidth: 1.5,
                         axes: {y: {axisLabelWidth: 44}}};
        if (spec.colors) options.colors = spec.colors;
        chart.graph = new Dygraph(div, chart.rows, options);
      } else {
        chart.graph.updateOptions({file: chart.rows});
      }
      div.dataset.points = String(chart.rows.length);
    });
  }

  function cell(row, text, numeric) {
    const td = document.createElement('td');
    td.textContent = text;
    if (numeric) td.className = 'num';
    row.appendChild(td);
  }

  function endpointRow(body, e, label) {
    const row = document.createElement('tr');
    const c = e.cumulative || {};
    cell(row, label ? '' : e.method);
    cell(row, label || e.name);
    cell(row, number(e.requests).toLocaleString(), true);
    cell(row, number(e.failures).toLocaleString(), true);
    for (const v of [c.p50_ms, c.p95_ms, c.p99_ms, c.avg_ms, c.max_ms]) cell(row, fixed(v, 1), true);
    cell(row, fixed(e.rps, 1), true);
    cell(row, fixed(e.failures_per_s, 1), true);
    if (label) row.className = 'total';
    body.appendChild(row);
  }

  function table(snapshot) {
    const body = document.querySelector('#endpoint-table tbody');
    body.innerHTML = '';
    for (const e of snapshot.endpoints || []) endpointRow(body, e);
    if (snapshot.aggregated) endpointRow(body, snapshot.aggregated, 'Aggregated');
    const t = $('endpoint-table');
    t.dataset.updates = String(number(t.dataset.updates) + 1);
  }

  function badge(el, text, kind) {
    el.textContent = text;
    el.className = 'badge ' + kind;
  }

  function showState(state, verdict, totals) {
    badge($('job-state'), state, 'state-' + String(state).toLowerCase());
    const v = String(verdict || '').replace('VERDICT_', '');
    badge($('job-verdict'), v && v !== 'UNSPECIFIED' ? v : '', 'verdict-' + v.toLowerCase());
    const ended = ['COMPLETED', 'STOPPED', 'ABORTED', 'FAILED', 'INTERRUPTED'].includes(state);
    for (const id of ['users-apply', 'rate-apply', 'pause-button', 'stop-button', 'job-users',
                      'job-rate']) {
      $(id).disabled = ended;
    }
    const paused = state === 'PAUSED' || (totals && totals.paused);
    $('pause-button').textContent = paused ? 'Resume' : 'Pause';
    $('pause-button').dataset.paused = paused ? 'true' : 'false';
  }

  function statsLine(s) {
    const t = s.totals || {};
    $('stats-line').textContent =
        fixed(s.elapsed_seconds, 0) + ' s · ' + number(t.requests).toLocaleString() +
        ' requests · ' + number(t.failures).toLocaleString() + ' failures · ' +
        fixed(t.current_rps, 1) + ' req/s · users ' + number(t.active_users) + '/' +
        number(t.target_users) + (t.stage ? ' · stage ' + t.stage : '');
  }

  function onEvent(name, data) {
    if (name !== 'snapshot' && name !== 'final') return;
    const snapshot = JSON.parse(data);
    plot(snapshot);
    table(snapshot);
    statsLine(snapshot);
    showState(snapshot.state, snapshot.verdict, snapshot.totals);
    if (snapshot.final) {
      current.final = true;
      refresh();
    }
  }

  async function refresh() {
    const id = current.id;
    const job = await Api.call('GET', '/api/v1/jobs/' + encodeURIComponent(id));
    if (!current || current.id !== id) return;
    current.job = job;
    $('job-title').textContent = job.spec.name || job.id;
    $('job-meta').textContent = job.id + ' · ' + job.spec.base_url +
        (job.error ? ' · ' + job.error : '');
    const open = !!(job.spec.load && job.spec.load.open);
    $('users-form').hidden = open;
    $('rate-form').hidden = !open;
    showState(job.state, job.verdict, job.totals);
  }

  async function control(method, path, body) {
    $('control-error').textContent = '';
    try {
      await Api.call(method, '/api/v1/jobs/' + encodeURIComponent(current.id) + path, body);
      await refresh();
    } catch (error) {
      $('control-error').textContent = error.message;
    }
  }

  function setDownloads(id) {
    for (const format of ['html', 'csv', 'json']) {
      const link = $('download-' + format);
      const path = '/api/v1/jobs/' + encodeURIComponent(id) + '/report?format=' + format;
      link.href = path;
      link.onclick = (event) => {
        if (!Api.token()) return;  // the plain link downloads
        event.preventDefault();
        Api.download(path, 'throng-' + id + '.' + format)
            .catch((error) => { $('control-error').textContent = error.message; });
      };
    }
  }

  async function show(id) {
    hide();
    current = {id, job: null, abort: new AbortController(), charts: resetCharts(), final: false};
    document.querySelector('#endpoint-table tbody').innerHTML = '';
    $('endpoint-table').dataset.updates = '0';
    $('control-error').textContent = '';
    $('stats-line').textContent = '';
    setDownloads(id);
    try {
      await refresh();
    } catch (error) {
      $('job-title').textContent = 'Job ' + id;
      $('control-error').textContent = error.message;
      return;
    }
    const mine = current;
    Api.events('/api/v1/jobs/' + encodeURIComponent(id) + '/events', onEvent, mine.abort.signal)
        .catch((error) => {
          if (mine.abort.signal.aborted) return;
          $('control-error').textContent = 'live view: ' + error.message;
        });
  }

  function hide() {
    if (current) current.abort.abort();
    current = null;
  }

  function init() {
    $('users-form').addEventListener('submit', (event) => {
      event.preventDefault();
      control('PATCH', '', {target_users: Number($('job-users').value)});
    });
    $('rate-form').addEventListener('submit', (event) => {
      event.preventDefault();
      control('PATCH', '', {arrival_rate: Number($('job-rate').value)});
    });
    $('pause-button').addEventListener('click', () => {
      control('PATCH', '', {paused: $('pause-button').dataset.paused !== 'true'});
    });
    $('stop-button').addEventListener('click', () => control('POST', '/stop', {}));
  }

  return {init, show, hide};
})();
