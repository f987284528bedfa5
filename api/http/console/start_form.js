// The start form: a scenario (library, upload or pasted YAML) plus Locust's users, spawn rate,
// host and run time; errors are shown at the field the API names.
'use strict';

const StartForm = (() => {
  const kOverrides = ['users', 'spawn_rate', 'host', 'run_time'];
  const $ = (id) => document.getElementById(id);

  function clearErrors() {
    document.querySelectorAll('#start-form .error').forEach((e) => { e.textContent = ''; });
    document.querySelectorAll('#start-form .invalid').forEach((e) => e.classList.remove('invalid'));
  }

  /// Puts `error` next to the input its field path names.
  function showError(error) {
    let slot = 'spec';
    if (kOverrides.includes(error.field)) slot = error.field;
    else if (error.field === 'spec.base_url' && $('host').value.trim()) slot = 'host';
    else if (!error.field && error.status !== 400) slot = '';
    const span = slot && document.querySelector('#start-form .error[data-for="' + slot + '"]');
    if (span) {
      span.textContent = error.message;
      const input = slot === 'spec' ? $('scenario-text') : $(slot);
      input.classList.add('invalid');
      input.focus();
    } else {
      $('form-error').textContent = error.message;
    }
  }

  function query(validateOnly) {
    const params = new URLSearchParams();
    for (const name of kOverrides) {
      const value = $(name).value.trim();
      if (value) params.set(name, value);
    }
    if (validateOnly) params.set('validate_only', 'true');
    const text = params.toString();
    return text ? '?' + text : '';
  }

  async function submit(validateOnly) {
    clearErrors();
    const text = $('scenario-text').value;
    if (!text.trim()) {
      showError({field: 'spec', message: 'paste a scenario, upload one or pick one from the library',
                 status: 400});
      return;
    }
    $('form-status').textContent = validateOnly ? 'Validating…' : 'Starting…';
    try {
      const job = await Api.call('POST', '/api/v1/jobs' + query(validateOnly), text,
                                 'application/yaml');
      if (validateOnly) {
        $('form-status').textContent = 'Valid: ' + job.spec.name + ' against ' + job.spec.base_url;
      } else {
        $('form-status').textContent = '';
        window.location.hash = '#/job/' + encodeURIComponent(job.id);
      }
    } catch (error) {
      $('form-status').textContent = '';
      if (error instanceof Api.ApiError) showError(error); else showError({message: String(error)});
    }
  }

  async function loadLibrary() {
    const select = $('scenario-library');
    try {
      const library = await Api.call('GET', '/api/v1/scenarios');
      select.length = 1;
      for (const entry of library.scenarios) {
        const option = document.createElement('option');
        option.value = entry.name;
        option.textContent = entry.name;
        select.appendChild(option);
      }
      $('field-library').hidden = !library.configured;
    } catch (error) {
      $('field-library').hidden = true;
    }
  }

  async function pick() {
    const name = $('scenario-library').value;
    if (!name) return;
    clearErrors();
    try {
      const response = await fetch('/api/v1/scenarios/' + encodeURIComponent(name),
                                   {headers: Api.token() ? {Authorization: 'Bearer ' + Api.token()}
                                                         : {}});
      if (!response.ok) throw new Error('cannot read ' + name + ' (HTTP ' + response.status + ')');
      $('scenario-text').value = await response.text();
    } catch (error) {
      document.querySelector('#start-form .error[data-for="library"]').textContent = error.message;
    }
  }

  function upload() {
    const file = $('scenario-file').files[0];
    if (!file) return;
    if (file.size > 4 << 20) {
      showError({field: 'spec', message: file.name + ': larger than 4 MiB', status: 400});
      return;
    }
    const reader = new FileReader();
    reader.onload = () => { $('scenario-text').value = reader.result; };
    reader.readAsText(file);
  }

  function init() {
    $('start-form').addEventListener('submit', (event) => { event.preventDefault(); submit(false); });
    $('validate-button').addEventListener('click', () => submit(true));
    $('scenario-library').addEventListener('change', pick);
    $('scenario-file').addEventListener('change', upload);
  }

  return {init, show: loadLibrary};
})();
