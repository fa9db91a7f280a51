// The panel's only script. It writes text only (textContent, text nodes), never markup.
'use strict';
(function () {
  const API = '/panel/api/v1';
  const POLL_MILLIS = 2000;
  const MAX_EVENTS = 30;
  const MAX_LOG_CHARS = 400000;
  const known = new Map();

  function sleep(millis) {
    return new Promise((resolve) => setTimeout(resolve, millis));
  }

  function idOf(value) {
    return value && typeof value === 'object' ? value.value : value;
  }

  function visible(text) {
    // control characters (an ANSI escape's ESC) show as their Unicode pictures, as the server does
    return String(text).replace(/[\u0000-\u0008\u000b-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
  }

  // the list leaves out null values: a field that is not there has none
  function exitText(instance) {
    if (instance.exitCode !== undefined && instance.exitCode !== null) return 'exit code ' + instance.exitCode;
    return instance.exitSignal ? 'signal ' + instance.exitSignal : '';
  }

  // one object of GET /api/v1/instances (an instance summary)
  function show(instance) {
    const id = idOf(instance.id);
    const values = {
      state: instance.state, health: instance.health, pid: instance.pid === undefined || instance.pid === null ? '' : instance.pid,
      restarts: instance.restarts || 0, exit: exitText(instance), message: instance.message || ''
    };
    document.querySelectorAll('[data-instance]').forEach((scope) => {
      if (scope.getAttribute('data-instance') !== id) return;
      scope.querySelectorAll('[data-field]').forEach((cell) => {
        const field = cell.getAttribute('data-field');
        if (!(field in values)) return;
        const text = visible(values[field]);
        if (cell.textContent !== text) {
          cell.textContent = text;
          if (field === 'state') cell.className = 'badge state-' + values.state;
          cell.classList.add('changed');
          setTimeout(() => cell.classList.remove('changed'), 1200);
        }
      });
    });
  }

  function addEvent(text) {
    const list = document.getElementById('events');
    if (!list) return;
    const empty = list.querySelector('.empty');
    if (empty) empty.remove();
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    item.appendChild(time);
    item.appendChild(document.createTextNode(' ' + visible(text)));
    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_EVENTS) list.removeChild(list.lastChild);
  }

  // one line of GET /api/v1/events: time, host, instance, name, appliance, type, state, health, restarts, previous,
  // message; or a step of a roll (type roll): time, appliance, phase, fromVersion, toVersion, replaced, total, detail,
  // host; or a step of fetching a build from another host (type build): time, build, host, phase, bytes, total, detail
  function describe(event) {
    if (event.type === 'roll') return 'roll ' + event.appliance + ' ' + versions(event) + ': ' + rollStep(event);
    if (event.type === 'build') {
      return 'build ' + String(event.build || '').replace('sha256:', '').slice(0, 12) + ' ' + event.phase
          + (event.host ? ' from ' + event.host : '') + (event.detail ? ' (' + event.detail + ')' : '');
    }
    const who = (event.name || event.instance || '?') + ': ';
    const previous = event.previous ? event.previous + ' \u2192 ' : '';
    let text;
    if (event.type === 'health') text = 'health ' + previous + (event.health || '');
    else if (event.type === 'restart') text = 'restart ' + (event.restarts === undefined ? '' : '#' + event.restarts);
    else text = previous + (event.state || event.type || '');
    return who + text + (event.message ? ' (' + event.message + ')' : '');
  }

  // rolls: one line per appliance, its last step (GET /api/v1/rolls at load, then roll events)
  function versions(roll) {
    const from = roll.fromVersion === undefined || roll.fromVersion === null ? '?' : roll.fromVersion;
    const to = roll.toVersion === undefined || roll.toVersion === null ? '?' : roll.toVersion;
    return from === to ? 'version ' + to : 'version ' + from + ' \u2192 ' + to;
  }

  function rollStep(roll) {
    const counts = roll.replaced + '/' + roll.total;
    switch (roll.phase) {
      case 'started': return 'started, ' + counts + ' on the new version';
      case 'replaced': return counts + ' replaced (' + (roll.detail || '') + ')';
      case 'paused': return 'paused after the canaries, ' + counts + ': promote to go on';
      case 'promoted': return 'promoted, ' + counts + ' on the new version';
      case 'done': return 'done, ' + counts;
      default: return roll.phase + ': ' + (roll.detail || counts);
    }
  }

  const rollParts = {};

  function showRoll(roll) {
    const list = document.getElementById('rolls');
    if (!list || !roll || !roll.appliance) return;
    const only = list.getAttribute('data-appliance');
    if (only && only !== roll.appliance) return;
    const empty = list.querySelector('.empty');
    if (empty) empty.remove();
    let item = Array.from(list.children).find((li) => li.getAttribute('data-roll') === roll.appliance);
    if (!item) {
      item = document.createElement('li');
      item.setAttribute('data-roll', roll.appliance);
      const name = document.createElement('strong');
      name.textContent = visible(roll.appliance);
      item.appendChild(name);
      ['versions', 'progress', 'step', 'time'].forEach((part) => {
        const element = document.createElement(part === 'progress' ? 'progress' : part === 'time' ? 'time' : 'span');
        element.setAttribute('data-part', part);
        item.appendChild(element);
      });
      list.insertBefore(item, list.firstChild);
    }
    item.querySelector('[data-part=versions]').textContent = versions(roll);
    // in a cluster each host rolls its own instances: the bar adds up each host's last step of this version
    const parts = rollParts[roll.appliance] = rollParts[roll.appliance] || {};
    parts[roll.host || ''] = roll;
    const current = Object.values(parts).filter((part) => part.toVersion === roll.toVersion);
    const total = current.reduce((sum, part) => sum + part.total, 0);
    const replaced = current.reduce((sum, part) => sum + part.replaced, 0);
    const bar = item.querySelector('progress');
    bar.max = Math.max(total, 1);
    bar.value = total === 0 ? 1 : replaced;
    const step = item.querySelector('[data-part=step]');
    step.textContent = visible(rollStep(roll));
    step.className = 'phase-' + roll.phase;
    item.querySelector('time').textContent = new Date(roll.time).toLocaleTimeString();
  }

  async function loadRolls() {
    if (!document.getElementById('rolls')) return;
    const response = await fetch(API + '/rolls?after=0', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    (await response.json()).forEach((entry) => showRoll(entry.progress));
  }

  async function refresh(announce) {
    const response = await fetch(API + '/instances', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      location.reload();
      return;
    }
    if (!response.ok) return;
    const instances = await response.json();
    instances.forEach((instance) => {
      const id = idOf(instance.id);
      const before = known.get(id);
      if (announce && before && before.state !== instance.state) {
        addEvent(instance.name + ': ' + before.state + ' \u2192 ' + instance.state);
      } else if (announce && before && before.health !== instance.health) {
        addEvent(instance.name + ': health ' + before.health + ' \u2192 ' + instance.health);
      }
      known.set(id, instance);
      show(instance);
    });
    await replaceGoneRows(new Set(instances.map((instance) => idOf(instance.id))));
  }

  // A row whose instance is gone (removed, or replaced by a roll under a new id) makes the table's rows
  // come again from the page itself, as the server renders them: the gone ones leave, the new ones show.
  let replacingRows = false;
  async function replaceGoneRows(listed) {
    const table = document.querySelector('table[data-live=instances]');
    if (!table || replacingRows) return;
    const rows = Array.from(table.querySelectorAll('tr[data-instance]'));
    if (rows.every((row) => listed.has(row.getAttribute('data-instance')))) return;
    replacingRows = true;
    try {
      const response = await fetch(location.pathname, { credentials: 'same-origin' });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.querySelector('table[data-live=instances] tbody');
      const current = table.querySelector('tbody');
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    } finally {
      replacingRows = false;
    }
  }

  // Follows /api/v1/events when the daemon has it; polls the instances when it answers 404.
  async function live() {
    await refresh(false).catch(() => {});
    await loadRolls().catch(() => {});
    for (;;) {
      let streamed = false;
      try {
        const response = await fetch(API + '/events', { credentials: 'same-origin' });
        if (response.ok && response.body) {
          streamed = true;
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, newline);
              buffer = buffer.slice(newline + 1);
              if (!line.trim()) continue;
              let event = null;
              try {
                event = JSON.parse(line);
                addEvent(describe(event));
              } catch (e) { /* not JSON: skip the line */ }
              if (event && event.type === 'roll') {
                showRoll(event);
                continue;
              }
              if (event && event.type === 'build') continue; // no instance changed
              await refresh(false).catch(() => {});
            }
          }
        }
      } catch (e) { /* reconnect below */ }
      if (!streamed) {
        await sleep(POLL_MILLIS);
        await refresh(true).catch(() => {});
      } else {
        await sleep(1000);
      }
    }
  }

  function append(pre, text) {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
    pre.appendChild(document.createTextNode(visible(text)));
    if (pre.textContent.length > MAX_LOG_CHARS) {
      pre.textContent = pre.textContent.slice(-MAX_LOG_CHARS / 2);
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  async function follow(pre) {
    let url = pre.getAttribute('data-log');
    for (;;) {
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (response.ok && response.body) {
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            append(pre, decoder.decode(value, { stream: true }));
          }
        }
      } catch (e) { /* reconnect below */ }
      // the instance stopped: wait for it to run again, then follow only what is new
      url = url.replace(/tail=\d+/, 'tail=0');
      await sleep(1000);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('pre[data-log]').forEach((pre) => follow(pre));
    if (document.querySelector('[data-instance]') || document.getElementById('events')
        || document.getElementById('rolls')) live();
    document.querySelectorAll('form.inline').forEach((form) => form.addEventListener('submit', () => {
      form.querySelectorAll('button').forEach((button) => { button.disabled = true; button.classList.add('busy'); });
    }));
  });
})();
