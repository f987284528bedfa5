// The console's access to throngd's JSON API: bearer token, JSON calls, Server-Sent Events.
'use strict';

const Api = (() => {
  const kTokenKey = 'throng.token';

  /// An API error: HTTP status, the API's code, message and the field path it names.
  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || ('HTTP ' + status));
      this.status = status;
      this.code = error.code || '';
      this.field = error.field || '';
    }
  }

  function token() { return sessionStorage.getItem(kTokenKey) || ''; }
  function setToken(value) {
    if (value) sessionStorage.setItem(kTokenKey, value); else sessionStorage.removeItem(kTokenKey);
  }

  function headers(extra) {
    const result = Object.assign({}, extra || {});
    if (token()) result['Authorization'] = 'Bearer ' + token();
    return result;
  }

  /// fetch() on the API; resolves to the parsed JSON, rejects with ApiError.
  async function call(method, path, body, contentType) {
    const options = {method, headers: headers()};
    if (body !== undefined) {
      options.body = typeof body === 'string' ? body : JSON.stringify(body);
      options.headers['Content-Type'] = contentType || 'application/json';
    }
    const response = await fetch(path, options);
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed;
  }

  /// Reads a Server-Sent Events stream with fetch (so the token travels in a header, never in
  /// the URL); calls onEvent(name, data) per event. Resolves when the stream ends; `signal`
  /// aborts it.
  async function events(path, onEvent, signal) {
    const response = await fetch(path, {headers: headers(), signal});
    if (!response.ok) {
      let parsed = null;
      try { parsed = await response.json(); } catch (e) { parsed = null; }
      throw new ApiError(response.status, parsed);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, {stream: true});
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        onEvent(name, data.join('\n'));
      }
    }
  }

  /// Downloads `path` as a file: a plain link without a token, a fetched blob with one.
  async function download(path, fileName) {
    if (!token()) { window.location.href = path; return; }
    const response = await fetch(path, {headers: headers()});
    if (!response.ok) throw new ApiError(response.status, null);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  return {ApiError, token, setToken, call, events, download};
})();
