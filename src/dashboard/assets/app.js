// The submeter dashboard: a fleet page (#/) and a meter page (#/meter/<id>), live over
// Server-Sent Events (/live/fleet, /live/meter); controls call the control API's routes.
import { drawBars, drawLine, drawPhasors, drawWaveforms, PHASE_COLOURS } from './charts.js';

const view = document.getElementById('view');
const connection = document.getElementById('connection');
let stream;
let timers = [];

const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (x, digits = 1) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–');
const kilo = (wh) => fmt(wh / 1000, 3);
const time = (ms) => (ms > 0 ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '–');

/** A control API call: JSON in and out; throws the server's message. */
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `${response.status}`);
  return answer;
}

function live(url, onMessage) {
  if (stream) stream.close();
  stream = new EventSource(url);
  stream.onopen = () => (connection.textContent = 'live');
  stream.onerror = () => (connection.textContent = 'reconnecting…');
  stream.onmessage = (event) => onMessage(JSON.parse(event.data));
}

function leave() {
  if (stream) stream.close();
  stream = undefined;
  timers.forEach(clearInterval);
  timers = [];
}

// ---------------------------------------------------------------- fleet
function fleet() {
  let query = '';
  let page = 0;
  view.innerHTML = `
    <div class="toolbar">
      <input id="search" type="search" placeholder="search meters (name, profile, source)" size="40">
      <button id="prev">‹ prev</button><span id="paging" class="muted"></span><button id="next">next ›</button>
    </div>
    <table id="fleet"><thead><tr>
      <th>meter</th><th>profile</th><th>served on</th><th class="num">P (W)</th><th class="num">V L1/L2/L3</th><th class="num">I L1/L2/L3</th><th>relay</th><th class="num">events</th><th class="num">faults</th><th class="num">scenarios</th>
    </tr></thead><tbody></tbody></table>`;
  const body = view.querySelector('#fleet tbody');
  const connect = () =>
    live(`/live/fleet?q=${encodeURIComponent(query)}&page=${page}&size=50`, (data) => {
      page = data.page;
      view.querySelector('#paging').textContent = `${data.matched} of ${data.total} meters · page ${data.page + 1} of ${Math.max(1, Math.ceil(data.matched / data.pageSize))}`;
      body.innerHTML = data.rows
        .map(
          (r) => `<tr data-meter="${esc(r.id)}">
            <td><a href="#/meter/${encodeURIComponent(r.id)}">${esc(r.id)}</a><div class="muted">${esc(r.description)}</div></td>
            <td>${esc(r.profile)}</td><td>${r.served.map(esc).join('<br>')}</td>
            <td class="num">${fmt(r.p)}</td><td class="num">${r.v.map((x) => fmt(x)).join(' / ')}</td><td class="num">${r.i.map((x) => fmt(x, 2)).join(' / ')}</td>
            <td>${r.relayClosed ? 'closed' : '<span class="bad">open</span>'}</td><td class="num">${r.eventCount}</td>
            <td class="num">${r.faults > 0 ? `<span class="bad">${r.faults}</span>` : 0}</td><td class="num">${r.scenarios}</td></tr>`,
        )
        .join('');
    });
  let debounce;
  view.querySelector('#search').addEventListener('input', (event) => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      query = event.target.value;
      page = 0;
      connect();
    }, 200);
  });
  view.querySelector('#prev').addEventListener('click', () => {
    page = Math.max(0, page - 1);
    connect();
  });
  view.querySelector('#next').addEventListener('click', () => {
    page += 1;
    connect();
  });
  connect();
}

// ---------------------------------------------------------------- meter
const SCENARIO_FIELDS = {
  sag: { label: 'depth %', make: (a) => ({ depth: a / 100 }), initial: 50 },
  swell: { label: 'rise %', make: (a) => ({ rise: a / 100 }), initial: 15 },
  interruption: { label: '', make: () => ({}), initial: 0 },
  'phase-loss': { label: '', make: () => ({}), initial: 0 },
  'reverse-power': { label: '', make: () => ({}), initial: 0 },
  frequency: { label: 'Hz', make: (a) => ({ hz: a }), initial: 49.5 },
  load: { label: 'current A', make: (a) => ({ currentA: a }), initial: 10 },
};

function meterPage(id) {
  view.innerHTML = `
    <h1 id="meter-title">${esc(id)}</h1><p id="meter-description" class="muted"></p>
    <div class="grid">
      <section class="card"><h2>Live values</h2><table id="values"><thead><tr><th></th><th class="num l1">L1</th><th class="num l2">L2</th><th class="num l3">L3</th><th class="num">total</th></tr></thead><tbody></tbody></table>
        <p id="frequency"></p></section>
      <section class="card"><h2>Waveforms (2 cycles, from the window's spectrum)</h2><canvas id="waveforms"></canvas></section>
      <section class="card"><h2>Phasors (fundamental)</h2><canvas id="phasors"></canvas></section>
      <section class="card"><h2>Harmonics <select id="harmonic-phase"><option value="0">L1</option><option value="1">L2</option><option value="2">L3</option></select>
          <select id="harmonic-signal"><option value="i">current</option><option value="v">voltage</option></select> <span id="thd"></span></h2>
        <canvas id="harmonics"></canvas>
        <details><summary>values</summary><table id="harmonics-table"><thead><tr><th>order</th><th class="num">% of fundamental</th></tr></thead><tbody></tbody></table></details></section>
      <section class="card"><h2>Energy</h2><table id="energy"></table><table id="tariffs"></table></section>
      <section class="card"><h2>Demand</h2><table id="demand"></table></section>
      <section class="card"><h2>Load profile (P per interval)</h2><canvas id="profile"></canvas></section>
      <section class="card"><h2>Event log</h2><div class="scroll"><table id="events"></table></div></section>
      <section class="card controls"><h2>Controls</h2>
        <fieldset><legend>Scenario</legend>
          <select id="scenario-kind">${Object.keys(SCENARIO_FIELDS).map((k) => `<option>${k}</option>`).join('')}</select>
          <label>phase <select id="scenario-phase"><option value="">all</option><option>1</option><option>2</option><option>3</option></select></label>
          <label><span id="scenario-amount-label">depth %</span> <input id="scenario-amount" type="number" step="any" value="50" size="6"></label>
          <label>for s (0: until ended) <input id="scenario-duration" type="number" min="0" step="any" value="30" size="5"></label>
          <button id="scenario-apply">apply</button> <button id="scenario-end">end all</button>
          <div id="scenario-list" class="muted"></div></fieldset>
        <fieldset><legend>Comm faults</legend>
          <select id="fault-kind"><option>no-response</option><option>delay</option><option>exception</option><option>disconnect</option><option>corrupt-crc</option><option>truncate</option><option>extra-bytes</option><option>wrong-unit-id</option><option>wrong-transaction-id</option></select>
          <label>count <input id="fault-count" type="number" min="1" value="5" size="4"></label>
          <label>delay ms / code / bytes <input id="fault-parameter" type="number" value="500" size="5"></label>
          <button id="fault-apply">apply</button> <button id="fault-clear">clear</button>
          <div id="fault-list" class="muted"></div></fieldset>
        <fieldset><legend>Relay and resets</legend>
          <span id="relay-state"></span> <button id="relay-open">open relay</button> <button id="relay-close">close relay</button>
          <button id="reset-energy">reset energy</button> <button id="reset-demand">reset demand</button></fieldset>
        <p id="control-status" class="muted"></p></section>
      <section class="card"><h2>Register map <span class="muted" id="register-profile"></span></h2><div class="scroll"><table id="registers"></table></div></section>
    </div>`;
  const $ = (selector) => view.querySelector(selector);
  const status = (text, bad) => {
    $('#control-status').textContent = text;
    $('#control-status').className = bad ? 'bad' : 'muted';
  };
  const act = (promise, done) => promise.then((answer) => status(done(answer))).catch((error) => status(error.message, true));
  const path = `/meters/${encodeURIComponent(id)}`;

  $('#scenario-kind').addEventListener('change', () => {
    const field = SCENARIO_FIELDS[$('#scenario-kind').value];
    $('#scenario-amount-label').textContent = field.label || '–';
    $('#scenario-amount').value = field.initial;
  });
  $('#scenario-apply').addEventListener('click', () => {
    const kind = $('#scenario-kind').value;
    const phase = $('#scenario-phase').value;
    const seconds = Number($('#scenario-duration').value);
    const body = { kind, ...SCENARIO_FIELDS[kind].make(Number($('#scenario-amount').value)) };
    if (phase !== '') body.phase = Number(phase);
    if (seconds > 0) body.durationMs = Math.round(seconds * 1000);
    act(api('POST', `${path}/scenarios`, body), (a) => `scenario ${a.scenario.id} begun`);
  });
  $('#scenario-end').addEventListener('click', () => act(api('DELETE', `${path}/scenarios`), (a) => `${a.ended} scenarios ended`));
  $('#fault-apply').addEventListener('click', () => {
    const kind = $('#fault-kind').value;
    const parameter = Number($('#fault-parameter').value);
    const body = { kind, count: Number($('#fault-count').value) };
    if (kind === 'delay') body.delayMs = parameter;
    if (kind === 'exception') body.code = parameter;
    if (kind === 'truncate' || kind === 'extra-bytes') body.bytes = parameter;
    act(api('POST', `/faults?meter=${encodeURIComponent(id)}`, body), (a) => `${a.faults.length} faults applied`);
  });
  $('#fault-clear').addEventListener('click', () => act(api('DELETE', `/faults?meter=${encodeURIComponent(id)}`), (a) => `${a.cleared} faults cleared`));
  $('#relay-open').addEventListener('click', () => act(api('POST', `${path}/relay`, { closed: false }), (a) => `relay ${a.closed ? 'closed' : 'open'}`));
  $('#relay-close').addEventListener('click', () => act(api('POST', `${path}/relay`, { closed: true }), (a) => `relay ${a.closed ? 'closed' : 'open'}`));
  $('#reset-energy').addEventListener('click', () => act(api('POST', `${path}/reset`, { what: 'energy' }), () => 'energy reset'));
  $('#reset-demand').addEventListener('click', () => act(api('POST', `${path}/reset`, { what: 'demand' }), () => 'demand reset'));

  let latest;
  const drawHarmonics = () => {
    if (!latest) return;
    const phase = latest.phases[Number($('#harmonic-phase').value)];
    const signal = $('#harmonic-signal').value;
    const mags = signal === 'i' ? phase.ih : phase.vh;
    const fundamental = mags[1] || 1e-9;
    const orders = [];
    const percent = [];
    for (let h = 2; h <= 31 && h < mags.length; h++) {
      orders.push(h);
      percent.push((mags[h] / fundamental) * 100);
    }
    drawBars($('#harmonics'), orders, percent, signal === 'i' ? PHASE_COLOURS[0] : '#2060c0', '%');
    $('#thd').textContent = `THD ${fmt((signal === 'i' ? phase.iThd : phase.vThd) * 100, 2)} %`;
    $('#harmonics-table tbody').innerHTML = orders.map((h, k) => `<tr data-order="${h}"><td>${h}</td><td class="num">${percent[k].toFixed(2)}</td></tr>`).join('');
  };
  $('#harmonic-phase').addEventListener('change', drawHarmonics);
  $('#harmonic-signal').addEventListener('change', drawHarmonics);

  live(`/live/meter?id=${encodeURIComponent(id)}`, (m) => {
    latest = m;
    $('#meter-description').textContent = `${m.description} · ${time(m.timeMs)}`;
    const rows = [
      ['V', 'v', 2, ''],
      ['A', 'i', 3, ''],
      ['P (W)', 'p', 1, 'p'],
      ['Q (var)', 'q', 1, 'q'],
      ['S (VA)', 's', 1, 's'],
      ['PF', 'pf', 3, 'pf'],
      ['THD u %', 'vThd', 2, ''],
      ['THD i %', 'iThd', 2, ''],
    ];
    $('#values tbody').innerHTML = rows
      .map(([label, key, digits, total]) => {
        const scale = key.endsWith('Thd') ? 100 : 1;
        return `<tr><th>${label}</th>${m.phases.map((p, n) => `<td class="num" id="${key}-${n + 1}">${fmt(p[key] * scale, digits)}</td>`).join('')}<td class="num">${total ? fmt(m.total[total], digits) : ''}</td></tr>`;
      })
      .join('');
    $('#frequency').textContent = `f ${fmt(m.frequencyHz, 3)} Hz · tariff ${m.activeTariff + 1}`;
    drawWaveforms($('#waveforms'), m.phases);
    drawPhasors($('#phasors'), m.phases);
    drawHarmonics();
    const e = m.energy.total;
    $('#energy').innerHTML = `<tr><th>active import</th><td class="num">${kilo(e.activeImportWh)} kWh</td><th>active export</th><td class="num">${kilo(e.activeExportWh)} kWh</td></tr>
      <tr><th>reactive QI</th><td class="num">${kilo(e.reactiveQ1varh)} kvarh</td><th>QII</th><td class="num">${kilo(e.reactiveQ2varh)} kvarh</td></tr>
      <tr><th>reactive QIII</th><td class="num">${kilo(e.reactiveQ3varh)} kvarh</td><th>QIV</th><td class="num">${kilo(e.reactiveQ4varh)} kvarh</td></tr>
      <tr><th>apparent</th><td class="num">${kilo(e.apparentVAh)} kVAh</td><td></td><td></td></tr>`;
    $('#tariffs').innerHTML = `<tr><th>tariff</th><th class="num">import kWh</th><th class="num">export kWh</th></tr>${m.energy.tariffs
      .map((t, k) => `<tr${k === m.activeTariff ? ' class="l1"' : ''}><td>T${k + 1}</td><td class="num">${kilo(t.activeImportWh)}</td><td class="num">${kilo(t.activeExportWh)}</td></tr>`)
      .join('')}`;
    const d = m.demand;
    const demandRow = (label, r, unit) => `<tr><th>${label}</th><td class="num">${fmt(r.present)} ${unit}</td><td class="num">${fmt(r.last)} ${unit}</td><td class="num">${fmt(r.max)} ${unit}</td><td>${time(r.maxTimeMs)}</td></tr>`;
    $('#demand').innerHTML = `<tr><th></th><th class="num">present</th><th class="num">last</th><th class="num">max</th><th>max at</th></tr>
      ${demandRow('P import', d.activeImport, 'W')}${demandRow('P export', d.activeExport, 'W')}${demandRow('S', d.apparent, 'VA')}${demandRow('Q', d.reactive, 'var')}
      ${d.phaseCurrent.map((r, n) => demandRow(`I L${n + 1}`, r, 'A')).join('')}`;
    const records = [...m.profileRecords].reverse();
    const periodH = records.length > 1 ? (records[1].timeMs - records[0].timeMs) / 3_600_000 : 0.25;
    drawLine($('#profile'), records.map((r) => (r.activeImportWh - r.activeExportWh) / (periodH || 0.25)), '#2060c0', `${records.length} intervals (W)`);
    $('#events').innerHTML = `<tr><th>#</th><th>kind</th><th>phase</th><th>start</th><th class="num">duration s</th><th class="num">extreme</th></tr>${m.events
      .map((ev) => `<tr><td>${ev.sequence}</td><td>${esc(ev.kind)}</td><td>${ev.phase || '–'}</td><td>${time(ev.startMs)}</td><td class="num">${ev.endMs > 0 ? fmt((ev.endMs - ev.startMs) / 1000, 2) : 'active'}</td><td class="num">${fmt(ev.extremeValue, 2)}</td></tr>`)
      .join('')}`;
    $('#scenario-list').textContent = m.scenarios.length === 0 ? 'no scenario active' : m.scenarios.map((s) => `${s.id}: ${s.scenario.kind}${s.scenario.phase ? ` L${s.scenario.phase}` : ''}`).join(', ');
    $('#fault-list').textContent = m.faults.length === 0 ? 'no fault active' : m.faults.map((f) => `${f.id}: ${f.spec.kind} (${f.fired} fired)`).join(', ');
    $('#relay-state').textContent = `relay ${m.relayClosed ? 'closed' : 'OPEN'}`;
  });

  const registers = () =>
    api('GET', `${path}/registers`)
      .then((answer) => {
        $('#registers').innerHTML = `<tr><th>table</th><th class="num">address</th><th>name</th><th>words</th><th class="num">value</th><th>unit</th></tr>${answer.registers
          .map((r) => `<tr data-register="${esc(r.name)}"><td>${r.space}</td><td class="num">${r.address}</td><td>${esc(r.name)}</td><td><code>${r.words.map((w) => w.toString(16).padStart(4, '0')).join(' ')}</code></td><td class="num">${typeof r.value === 'number' ? fmt(r.value, 3) : esc(r.value)}</td><td>${esc(r.unit)}</td></tr>`)
          .join('')}`;
      })
      .catch((error) => ($('#registers').innerHTML = `<tr><td class="muted">${esc(error.message)}</td></tr>`));
  registers();
  timers.push(setInterval(registers, 1000));
}

function route() {
  leave();
  const match = /^#\/meter\/(.+)$/.exec(location.hash);
  if (match) meterPage(decodeURIComponent(match[1]));
  else fleet();
}

window.addEventListener('hashchange', route);
route();
