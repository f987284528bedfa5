// The console's pages (#/jobs, #/new, #/job/ID) and the jobs list.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  let listTimer = null;

  function banner(text) {
    $('banner').textContent = text;
    $('banner').hidden = !text;
  }

  function formatTime(timestamp) {
    if (!timestamp) return '';
    const date = new Date(timestamp);
    return isNaN(date) ? '' : date.toLocaleString();
  }

  function verdictName(verdict) {
    const v = String(verdict || '').replace('VERDICT_', '');
    return v === 'UNSPECIFIED' ? '' : v;
  }

  async function loadJobs() {
    try {
      const page = await Api.call('GET', '/api/v1/jobs?page_size=200');
      banner('');
      const body = document.querySelector('#jobs-table tbody');
      body.innerHTML = '';
      for (const job of page.jobs) {
        const row = document.createElement('tr');
        const link = document.createElement('a');
        link.href = '#/job/' + encodeURIComponent(job.id);
        link.textContent = job.spec.name || job.id;
        const name = document.createElement('td');
        name.appendChild(link);
        row.appendChild(name);
        const totals = job.totals || {};
        const cells = [job.state, verdictName(job.verdict),
                       String(totals.active_users || 0), Number(totals.requests || 0).toLocaleString(),
                       Number(totals.failures || 0).toLocaleString(), formatTime(job.created_at),
                       job.id];
        cells.forEach((text, i) => {
          const td = document.createElement('td');
          td.textContent = text;
          if (i === 0) td.className = 'badge-cell state-' + String(text).toLowerCase();
          if (i === 1) td.className = 'badge-cell verdict-' + String(text).toLowerCase();
          if (i >= 2 && i <= 4) td.className = 'num';
          if (i === 6) td.className = 'mono';
          row.appendChild(td);
        });
        body.appendChild(row);
      }
      $('jobs-empty').hidden = page.jobs.length > 0;
    } catch (error) {
      banner(error.status === 401 || error.status === 403
                 ? 'This daemon needs a token: press "Token" and paste yours. (' + error.message + ')'
                 : error.message);
    }
  }

  function route() {
    const hash = window.location.hash || '#/jobs';
    for (const view of document.querySelectorAll('.view')) view.hidden = true;
    clearInterval(listTimer);
    JobPage.hide();
    const job = hash.match(/^#\/job\/(.+)$/);
    if (job) {
      $('view-job').hidden = false;
      JobPage.show(decodeURIComponent(job[1]));
    } else if (hash === '#/new') {
      $('view-new').hidden = false;
      StartForm.show();
    } else {
      $('view-jobs').hidden = false;
      loadJobs();
      listTimer = setInterval(loadJobs, 2000);
    }
  }

  $('token-button').addEventListener('click', () => {
    const value = window.prompt('Bearer token for this daemon (kept for this tab only):',
                                Api.token());
    if (value !== null) Api.setToken(value.trim());
    route();
  });
  StartForm.init();
  JobPage.init();
  window.addEventListener('hashchange', route);
  route();
})();
