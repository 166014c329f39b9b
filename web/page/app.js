/* PURPOSE: the playground page's logic: load the WebAssembly module, fill the scenario
 * list, and call the three exported C functions (tw_scenario_run, tw_access_check,
 * tw_whatif: JSON text in, JSON text out) to render their answers. No model logic here. */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let mod = null;
  const scenarios = window.TOKSIM_SCENARIOS || [];
  let current = null; // the chosen shipped scenario (for its base_dir)

  // Call one exported C function with string arguments; parse its JSON answer.
  function call(name, args) {
    const ptr = mod.ccall(name, 'number', args.map(() => 'string'), args);
    if (!ptr) return { ok: false, error: { message: 'out of memory' } };
    const text = mod.UTF8ToString(ptr);
    mod.ccall('tw_free', null, ['number'], [ptr]);
    return JSON.parse(text);
  }
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  function showError(id, err) {
    const el = $(id);
    if (!err) { el.hidden = true; el.textContent = ''; return; }
    const pos = err.line ? ` (line ${err.line}, column ${err.column})` : '';
    el.textContent = `${err.message || err.status}${pos}`;
    el.hidden = false;
  }
  function outcome(s) {
    const parts = [s.ok ? 'OK' : (s.error || 'failed')];
    if (s.http !== undefined) parts.push(`HTTP ${s.http}`);
    if (s.hresult && s.hresult !== '0x00000000') parts.push(`HRESULT ${s.hresult}`);
    if (!s.ok && s.win32) parts.push(`Win32 ${s.win32}`);
    if (s.impersonation_level) parts.push(s.impersonation_level);
    if (s.granted !== undefined) parts.push(`granted ${s.granted}`);
    return parts.join(' · ');
  }

  function runScenario() {
    const text = $('scenario-text').value;
    const base = current && current.text === text ? current.base_dir : (current ? current.base_dir : '/scenarios');
    const where = current ? current.path : '<input>';
    const t0 = performance.now();
    const res = call('tw_scenario_run', [text, where, base]);
    $('steps').tBodies[0].innerHTML = '';
    $('flow').innerHTML = '';
    $('story').textContent = '';
    $('explanation').textContent = '';
    $('refs').innerHTML = '';
    $('run-check').textContent = '';
    $('run-title').textContent = '';
    if (!res.ok) { showError('run-error', res.error); return res; }
    showError('run-error', null);
    const run = res.run;
    $('run-title').textContent = run.title || run.scenario;
    if (res.check) {
      const c = res.check;
      $('run-check').innerHTML = `Expectations: <b>${c.passed} held</b>, ${c.failed ? `<span class="deny">${c.failed} did not</span>` : '0 did not'}` +
        c.mismatches.map((m) => `<br>step <code>${esc(m.step)}</code> ${esc(m.field)}: expected ${esc(m.expected)}, got ${esc(m.got)}`).join('') +
        ` <span class="hint">(${(performance.now() - t0).toFixed(0)} ms)</span>`;
    }
    const tb = $('steps').tBodies[0];
    run.steps.forEach((s, i) => {
      const tr = document.createElement('tr');
      tr.className = s.ok ? 'ok' : 'fail';
      tr.dataset.step = s.id;
      const note = res.steps[i] && res.steps[i].note ? `<div class="hint">${esc(res.steps[i].note)}</div>` : '';
      const findings = (s.findings || []).map((f) => `<div class="deny">${esc(f.message)}</div>`).join('');
      tr.innerHTML = `<td>${i + 1}</td><td>${esc(s.id)}</td><td><code>${esc(s.op)}</code></td><td class="outcome">${esc(outcome(s))}</td><td>${esc(s.summary)}${findings}${note}</td>`;
      tb.appendChild(tr);
    });
    $('story').textContent = res.story || '';
    $('explanation').textContent = res.text || '';
    $('refs').innerHTML = (res.references || []).length ? '<h3>Sources</h3><ul>' + res.references.map((r) => `<li>${esc(r.title)} <span class="hint">${esc(r.url)}</span></li>`).join('') + '</ul>' : '';
    let doc = null;
    try { doc = JSON.parse(text); } catch (e) { doc = null; }
    if (doc && window.ToksimFlow) $('flow').appendChild(window.ToksimFlow.render(doc, res));
    return res;
  }

  const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
  function accessCheck() {
    const req = {
      sddl: $('sddl').value.trim(), whoami: $('whoami').value, user: $('user').value.trim(),
      groups: list($('groups').value), privileges: list($('privileges').value),
      desired: $('desired').value.trim(), type: $('objtype').value, mode: $('mode').value,
    };
    const res = call('tw_access_check', [JSON.stringify(req)]);
    const tb = $('ace-trace').tBodies[0];
    tb.innerHTML = '';
    $('aces').tBodies[0].innerHTML = '';
    $('access-verdict').textContent = '';
    if (!res.ok) { showError('access-error', res.error); return res; }
    showError('access-error', null);
    const who = res.token && res.token.user ? (res.token.user.name || res.token.user.sid) : '';
    $('access-verdict').innerHTML = (res.granted_all
      ? `<span class="grant">GRANTED</span> ${esc(res.granted)} (${esc(res.granted_names)})`
      : `<span class="deny">DENIED</span> ${esc(res.ntstatus_name)} ${esc(res.ntstatus)}, Win32 ${res.win32} ${esc(res.win32_name)}`) +
      ` <span class="hint">asked ${esc(res.desired)} (${esc(res.desired_names)}) for ${esc(who)}</span>`;
    renderAces(res);
    res.trace.forEach((ev) => {
      const tr = document.createElement('tr');
      tr.innerHTML = `<td class="${ev.verdict === 'deny' ? 'deny' : ev.verdict === 'grant' ? 'grant' : ''}">${esc(ev.verdict)}</td><td><code>${esc(ev.rule)}</code></td><td class="depth${Math.min(ev.depth, 3)}">${esc(ev.text)}</td><td class="hint">${esc(ev.citation)}</td>`;
      tb.appendChild(tr);
    });
    return res;
  }

  // The DACL's ACEs of the canonical SDDL, each with the trace events naming its index.
  function daclAces(sddl) {
    const at = sddl.indexOf('D:');
    if (at < 0) return [];
    const aces = [];
    let depth = 0, start = -1;
    for (let i = at + 2; i < sddl.length; i++) {
      const c = sddl[i];
      if (c === '(') { if (depth++ === 0) start = i; } else if (c === ')') { if (--depth === 0) aces.push(sddl.slice(start, i + 1)); } else if (depth === 0 && c === ':' && i > at + 2) break;
    }
    return aces;
  }
  function renderAces(res) {
    const tb = $('aces').tBodies[0];
    tb.innerHTML = '';
    daclAces(res.sddl || '').forEach((ace, i) => {
      const evs = res.trace.filter((ev) => ev.index === i && ev.rule.startsWith('access.ace.'));
      const tr = document.createElement('tr');
      const v = evs.some((e) => e.verdict === 'deny') ? 'deny' : evs.some((e) => e.verdict === 'grant') ? 'grant' : '';
      tr.className = v ? 'ace-' + v : 'ace-none';
      tr.innerHTML = `<td>#${i}</td><td><code>${esc(ace)}</code></td><td class="${v}">${evs.length ? evs.map((e) => esc(e.text)).join('<br>') : '<span class="hint">not reached (the decision was made before it)</span>'}</td>`;
      tb.appendChild(tr);
    });
  }

  function whatIf() {
    const req = {
      scenario: $('scenario-text').value, base_dir: current ? current.base_dir : '/scenarios',
      right: $('right').value, remove: list($('whatif-remove').value), add: list($('whatif-add').value),
    };
    const res = call('tw_whatif', [JSON.stringify(req)]);
    const tb = $('whatif-result').tBodies[0];
    tb.innerHTML = '';
    $('whatif-holders').textContent = '';
    if (!res.ok) { showError('whatif-error', res.error); return res; }
    showError('whatif-error', null);
    const names = (l) => l.map((h) => h.name || h).join(', ') || '(nobody)';
    const after = res.holders_after.map((sid) => (res.holders_before.find((h) => h.sid === sid) || { name: sid }).name);
    $('whatif-holders').innerHTML = `<b>${esc(res.right)}</b> held by: ${esc(names(res.holders_before))}<br>what-if: ${esc(after.join(', ') || '(nobody)')}<br><b>${res.changed}</b> step outcome(s) change.`;
    const fmt = (o) => `${o.ok ? 'OK' : 'failed'}${o.http !== undefined ? ' · HTTP ' + o.http : ''}${o.hresult !== '0x00000000' ? ' · ' + o.hresult : ''}<div class="hint">${esc(o.summary)}</div>`;
    res.steps.forEach((s) => {
      const tr = document.createElement('tr');
      tr.className = s.changed ? 'changed' : '';
      tr.dataset.step = s.id;
      tr.innerHTML = `<td>${esc(s.id)} <code>${esc(s.op)}</code>${s.changed ? ' <b>changed</b>' : ''}</td><td>${fmt(s.before)}</td><td>${fmt(s.after)}</td>`;
      tb.appendChild(tr);
    });
    return res;
  }

  function choose(i) {
    current = scenarios[i] || null;
    if (current) $('scenario-text').value = current.text;
  }
  const sel = $('scenario-select');
  scenarios.forEach((s, i) => {
    const o = document.createElement('option');
    o.value = String(i);
    o.textContent = `${s.path.replace(/^scenarios\//, '')} — ${s.title}`;
    sel.appendChild(o);
  });
  const mbam = scenarios.findIndex((s) => s.name === 'mbam-iis-iusrs-removed');
  if (mbam >= 0) sel.value = String(mbam);
  choose(Number(sel.value));
  sel.addEventListener('change', () => { choose(Number(sel.value)); runScenario(); });
  $('run-btn').addEventListener('click', runScenario);
  $('access-btn').addEventListener('click', accessCheck);
  $('whatif-btn').addEventListener('click', whatIf);

  window.createToksim().then((m) => {
    mod = m;
    window.toksimReadyMs = performance.now();
    window.toksim = { runScenario, accessCheck, whatIf };
    ['run-btn', 'access-btn', 'whatif-btn'].forEach((id) => { $(id).disabled = false; });
    $('status').textContent = 'ready';
    $('status').dataset.state = 'ready';
  }, (e) => {
    $('status').textContent = 'the WebAssembly module failed to load: ' + e;
    $('status').dataset.state = 'error';
  });
})();
