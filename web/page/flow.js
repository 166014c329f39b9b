/* PURPOSE: the token-flow picture of a replayed scenario, drawn as SVG from the scenario
 * text and the run's JSON: accounts, tokens, processes and their threads, objects, and one
 * arrow per step (logon, primary token of a process, impersonation, open ...), the
 * failing steps in red. Pure presentation: outcomes come from the run. */
'use strict';
window.ToksimFlow = (function () {
  const NS = 'http://www.w3.org/2000/svg';
  const COLS = { account: 0, token: 1, process: 2, thread: 2, object: 3 };
  const HEAD = ['accounts', 'tokens', 'processes · threads', 'objects'];
  // Which parameters name what, by operation; anything else falls back to GENERIC.
  const FROM = ['thread', 'token', 'session', 'client', 'pool', 'pipe', 'server', 'ecb', 'user'];
  const TO = ['path', 'namespace', 'url', 'target', 'realm', 'name', 'as'];

  function kindOf(step, key, procs) {
    if (key === 'thread') return 'thread';
    if (key === 'user' || key === 'account') return 'account';
    if (['path', 'namespace', 'url', 'realm', 'name', 'target'].includes(key)) return 'object';
    if (key === 'pool' || key === 'server' || key === 'client') return procs.has(step[key]) ? 'process' : 'token';
    if (key === 'as') return /^(process|service|iis\.app_pool|isapi\.extension)/.test(step.op) ? 'process' : 'token';
    return 'token';
  }
  // The [from, to, label] arrows of one step.
  function arrows(step, procs) {
    const op = step.op;
    const n = (key, kind) => (step[key] ? { key, name: String(step[key]), kind: kind || kindOf(step, key, procs) } : null);
    switch (op) {
      case 'logon': return [[n('user', 'account'), n('as', 'token'), 'LogonUser']];
      case 'iis.app_pool.start': return [[n('user', 'account') || { name: step.identity || 'pool identity', kind: 'account' }, n('as', 'process'), 'app pool worker']];
      case 'service.start': return [[n('account', 'account') || { name: 'LocalSystem', kind: 'account' }, n('as', 'process'), 'service']];
      case 'process.start': return [[n('token', 'token'), n('as', 'process'), 'primary token']];
      case 'thread.impersonate': return [[n('token', 'token'), n('thread', 'thread'), 'impersonate']];
      case 'token.open': return [[n('thread', 'thread'), n('as', 'token'), step.api || 'open token']];
      case 'wmi.provider.register': return [[{ name: step.hosting || 'provider host', kind: 'account' }, n('as', 'process'), 'provider host']];
      case 'wmi.query': return [[n('client', procs.has(step.client) ? 'process' : 'token'), n('provider', 'process'), 'WMI query']];
      case 'com.call': return [[n('client', procs.has(step.client) ? 'process' : 'token'), n('server', 'process'), 'COM call']];
      case 'wmi.connect': return [[n('client', procs.has(step.client) ? 'process' : 'token'), n('namespace', 'object'), 'ConnectServer']];
      case 'pipe.create': return [[n('server', 'process'), step.as ? { name: step.as, label: step.name, kind: 'object' } : null, 'CreateNamedPipe']];
      case 'pipe.connect': return [[n('client', procs.has(step.client) ? 'process' : 'token'), n('pipe', 'object'), 'connect']];
      case 'pipe.impersonate': return [[n('pipe', 'object'), n('thread', 'thread'), 'ImpersonateNamedPipeClient']];
      case 'pipe.read': case 'pipe.write': case 'isapi.worker': case 'sso.advance': return [];
      case 'isapi.extension.load': return [[n('wam_user', 'account') || { name: 'LocalSystem', kind: 'account' }, n('as', 'process'), 'ISAPI host']];
      case 'isapi.request': return [[n('user', 'account') || { name: 'anonymous', kind: 'account' }, n('extension', 'process'), 'ISAPI request']];
      case 'iis.request': return [[n('user', 'account') || { name: 'anonymous', kind: 'account' }, n('pool', 'process'), 'HTTP request'], [n('pool', 'process'), n('path', 'object') || n('url', 'object'), 'serve']];
      default: {
        const f = FROM.map((k) => n(k)).find(Boolean);
        const t = TO.map((k) => n(k)).find((x) => x && (!f || x.name !== f.name));
        return f && t ? [[f, t, op]] : [];
      }
    }
  }
  function el(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const short = (s, n) => (s.length > n ? '…' + s.slice(s.length - n + 1) : s);

  function render(doc, res) {
    const steps = doc.steps || [];
    const results = (res.run && res.run.steps) || [];
    const extra = res.steps || [];
    const procs = new Set(steps.filter((s) => /^(process|service|iis\.app_pool)/.test(s.op) && s.as).map((s) => s.as));
    const nodes = new Map();
    const edges = [];
    const node = (ref) => {
      if (!ref || !ref.name) return null;
      const id = ref.kind + ':' + ref.name;
      if (!nodes.has(id)) nodes.set(id, { id, name: ref.name, label: ref.label || ref.name, kind: ref.kind, sub: '' });
      return nodes.get(id);
    };
    steps.forEach((s, i) => {
      const r = results[i] || {};
      arrows(s, procs).forEach(([f, t, label]) => {
        const a = node(f), b = node(t);
        if (!a || !b) return;
        edges.push({ a, b, label: `${i + 1}. ${label}`, num: String(i + 1), ok: r.ok !== false, step: s.id });
        const tok = extra[i] && extra[i].token;
        if (tok && b.kind !== 'object' && b.kind !== 'account') {
          const user = tok.user && (tok.user.name || tok.user.sid);
          const lvl = b.kind === 'process' ? '' : (r.impersonation_level || '');
          b.sub = [user, lvl].filter(Boolean).join(' · ');
        }
      });
    });
    // Threads sit under their process ("w3wp:request").
    for (const nd of [...nodes.values()]) {
      if (nd.kind === 'thread' && nd.name.includes(':')) {
        const p = node({ name: nd.name.split(':')[0], kind: 'process' });
        edges.push({ a: p, b: nd, label: 'thread', ok: true, contain: true });
      }
    }
    const W = 220, H = 46, GAP = 30, X0 = 12, Y0 = 40, COLGAP = 80;
    const rows = [0, 0, 0, 0];
    const order = ['account', 'token', 'process', 'thread', 'object'];
    const proc = (nd) => (nd.kind === 'thread' ? nd.name.split(':')[0] : nd.name);
    const all = [...nodes.values()];
    const seen = (nd) => all.indexOf(nodes.get('process:' + proc(nd)) || nd);
    all.sort((x, y) => {
      const cx = COLS[x.kind], cy = COLS[y.kind];
      if (cx !== cy) return cx - cy;
      if (cx !== 2) return all.indexOf(x) - all.indexOf(y);
      return seen(x) - seen(y) || (x.kind === 'process' ? -1 : y.kind === 'process' ? 1 : all.indexOf(x) - all.indexOf(y));
    }).forEach((nd) => {
      const c = COLS[nd.kind];
      nd.x = X0 + c * (W + COLGAP);
      nd.y = Y0 + rows[c] * (H + GAP);
      rows[c]++;
    });
    const height = Y0 + Math.max(1, ...rows) * (H + GAP) + 10;
    const width = X0 + 4 * (W + COLGAP);
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'token flow of the scenario' });
    const defs = el('defs', {});
    ['ok', 'fail'].forEach((k) => {
      const m = el('marker', { id: 'arrow-' + k, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
      m.appendChild(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: k === 'ok' ? '#444' : '#c0140c' }));
      defs.appendChild(m);
    });
    svg.appendChild(defs);
    HEAD.forEach((h, c) => svg.appendChild(el('text', { x: X0 + c * (W + COLGAP), y: 22, 'font-weight': 700 }, h)));
    // Arrows between neighbouring columns are curves; longer ones run in the lane
    // below their rows so they never cross a box. Each arrow carries its step number.
    let lane = 0;
    const marks = [];
    edges.forEach((e) => {
      const { a, b } = e;
      let d, mx, my;
      if (e.contain) {
        d = `M${a.x + 18},${a.y + H} L${b.x + 18},${b.y}`;
      } else if (a.x === b.x) {
        const x = a.x + W, y1 = a.y + H / 2, y2 = b.y + H / 2;
        d = `M${x},${y1} C${x + 30},${y1} ${x + 30},${y2} ${x},${y2}`;
        mx = x + 22; my = (y1 + y2) / 2;
      } else {
        const fwd = a.x < b.x;
        const x1 = fwd ? a.x + W : a.x, x2 = fwd ? b.x : b.x + W;
        const y1 = a.y + H / 2, y2 = b.y + H / 2;
        if (Math.abs(b.x - a.x) <= W + COLGAP) {
          const cx = (x1 + x2) / 2;
          d = `M${x1},${y1} C${cx},${y1} ${cx},${y2} ${x2},${y2}`;
          mx = cx; my = (y1 + y2) / 2;
        } else {
          const ly = Math.max(a.y, b.y) + H + GAP / 2 + (lane++ % 3) * 5 - 5;
          const s1 = fwd ? x1 + 14 : x1 - 14, s2 = fwd ? x2 - 14 : x2 + 14;
          d = `M${x1},${y1} L${s1},${y1} L${s1},${ly} L${s2},${ly} L${s2},${y2} L${x2},${y2}`;
          mx = (s1 + s2) / 2; my = ly;
        }
      }
      const g = el('g', { class: 'edge ' + (e.ok ? 'ok' : 'fail') + (e.contain ? ' contain' : ''), 'data-step': e.step || '' });
      g.appendChild(el('path', { d, 'marker-end': `url(#arrow-${e.ok ? 'ok' : 'fail'})`, 'stroke-dasharray': e.contain ? '3 3' : 'none', 'stroke-linejoin': 'round' }));
      g.appendChild(el('title', {}, e.label + (e.ok ? '' : ' (failed)')));
      svg.appendChild(g);
      if (!e.contain) marks.push({ mx, my, e });
    });
    nodes.forEach((nd) => {
      const g = el('g', { class: 'node ' + nd.kind, transform: `translate(${nd.x},${nd.y})` });
      g.appendChild(el('rect', { width: W, height: H, rx: nd.kind === 'token' ? 14 : 3 }));
      const t = el('text', { x: 8, y: 18 }, short(nd.label, 34));
      t.appendChild(el('title', {}, nd.name));
      g.appendChild(t);
      if (nd.sub) g.appendChild(el('text', { x: 8, y: 36, fill: '#555' }, short(nd.sub, 36)));
      svg.appendChild(g);
    });
    marks.forEach(({ mx, my, e }) => {
      const g = el('g', { class: 'mark edge ' + (e.ok ? 'ok' : 'fail') });
      const txt = e.num + (e.ok ? '' : ' ✗');
      const w = txt.length * 7 + 10;
      g.appendChild(el('rect', { x: mx - w / 2, y: my - 9, width: w, height: 17, rx: 8, fill: e.ok ? '#fff' : '#fdecea', stroke: e.ok ? '#888' : '#c0140c' }));
      g.appendChild(el('text', { x: mx, y: my + 4, 'text-anchor': 'middle' }, txt));
      g.appendChild(el('title', {}, e.label + (e.ok ? '' : ' (failed)')));
      svg.appendChild(g);
    });
    return svg;
  }
  return { render };
})();
