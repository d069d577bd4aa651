/**
 * The style and script of the HTML report (html.ts). Plain browser JavaScript in a string, so the
 * page needs nothing at view time; it is exercised in a real Chromium by test/report/html-browser.
 *
 * Rules the script keeps: every string of the report is set with textContent or as an attribute
 * value, never parsed as HTML; no selector is built from report text; nothing is fetched.
 */

export const PAGE_CSS = String.raw`
:root { --passed: #2e7d32; --failed: #c62828; --error: #ef8f00; --skipped: #9e9e9e; --unpublished: #e0e0e0; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, #changes, #controls, #findings { padding: 12px 20px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 10px 0 4px; }
.muted { color: var(--muted); }
.verdict-passed { color: var(--passed); } .verdict-failed { color: var(--failed); } .verdict-error { color: var(--error); }
#counts { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0; }
#counts div { min-width: 90px; }
#counts b { display: block; font-size: 18px; }
table.checks { border-collapse: collapse; margin-top: 8px; }
table.checks th, table.checks td { border: 1px solid var(--line); padding: 2px 8px; text-align: right; }
table.checks th:first-child { text-align: left; }
#changes ul { margin: 2px 0 6px; padding-left: 18px; }
#changes li { margin: 1px 0; }
button.link { background: none; border: 0; padding: 0; color: #0969da; cursor: pointer; font: inherit; text-decoration: underline; }
#controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; position: sticky; top: 0; background: #fff; z-index: 2; }
#controls label { display: flex; gap: 6px; align-items: center; }
.legend { display: flex; gap: 10px; flex-wrap: wrap; }
.legend span { display: inline-flex; align-items: center; gap: 4px; }
#grid { padding: 8px 20px 40px; }
.row { display: flex; gap: 10px; padding: 4px 0; border-bottom: 1px solid #eef0f2; content-visibility: auto; contain-intrinsic-size: auto 40px; }
.row > .name { flex: 0 0 150px; font-weight: 600; overflow-wrap: anywhere; }
.row > .versions { display: flex; flex-wrap: wrap; gap: 3px 6px; }
.v { display: inline-flex; flex-direction: column; align-items: flex-start; }
.v > i { font-style: normal; font-size: 10px; color: var(--muted); line-height: 12px; white-space: nowrap; }
.v > span { display: flex; gap: 1px; }
.c, .sw { width: 11px; height: 11px; border-radius: 2px; display: inline-block; }
.c { cursor: pointer; }
.c:hover, .c:focus { outline: 2px solid var(--ink); outline-offset: 0; }
.o-passed { background: var(--passed); } .o-failed { background: var(--failed); } .o-error { background: var(--error); }
.o-skipped { background: var(--skipped); } .o-unpublished { background: var(--unpublished); border: 1px dashed #9e9e9e; }
.c.changed { box-shadow: 0 0 0 2px #0969da; }
[hidden] { display: none !important; }
#details { position: fixed; top: 0; right: 0; width: min(560px, 100%); height: 100%; overflow: auto; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 16px rgba(0,0,0,.12); padding: 16px 20px; z-index: 5; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
#details dt { color: var(--muted); }
#details dd { margin: 0; overflow-wrap: anywhere; }
#details code, #details .reason, #details div, #details li { overflow-wrap: anywhere; }
#details .reason { white-space: pre-wrap; background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; margin: 4px 0; }
#details .close { position: absolute; top: 10px; right: 14px; }
#findings ul { margin: 4px 0; padding-left: 18px; }
.fatal { color: var(--failed); padding: 20px; }
`;

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var t0 = performance.now();
  var OUTCOMES = ['verified', 'missing', 'invalid', 'error', 'skipped'];
  var STATUSES = ['passed', 'failed', 'error'];
  var CELL_OUTCOMES = ['passed', 'failed', 'error', 'skipped', 'unpublished'];
  var CHECK_LABEL = { openpgp: 'OpenPGP', sigstore: 'Sigstore', edges: 'Update edges' };
  var CHANGE_KINDS = [
    ['newlyFailing', 'newly failing'],
    ['newlyPassing', 'newly passing'],
    ['newlyErrored', 'newly unchecked (errors)'],
    ['digestChanged', 'digest changed under the same tag'],
    ['signaturesDisappeared', 'signatures disappeared']
  ];
  var CHANGES_SHOWN = 200;
  // version + NUL + arch -> the kinds of change of that node (labels)
  var changedKind = Object.create(null);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }

  function decode(raw) {
    var S = raw.strings;
    function s(i) { return i >= 0 ? S[i] : null; }
    function check(c) { return { outcome: OUTCOMES[c[0]], reason: s(c[1]), signer: s(c[2]), identity: s(c[3]) }; }
    var places = raw.places.map(function (list) {
      return list.map(function (p) { return { file: s(p[0]), line: p[1], channel: s(p[2]) }; });
    });
    var items = [];
    var placesOfVersion = Object.create(null);
    raw.nodes.forEach(function (n) {
      var item = { version: s(n[0]), arch: s(n[1]), digest: s(n[2]), tag: s(n[3]), status: STATUSES[n[4]], openpgp: check(n[5]), sigstore: check(n[6]), places: places[n[7]] };
      if (n[8]) item.edges = n[8].map(function (e) { return { from: s(e[0]), outcome: OUTCOMES[e[1]], reason: s(e[2]), digest: s(e[3]) }; });
      placesOfVersion[item.version] = item.places;
      items.push(item);
    });
    raw.unpublished.forEach(function (u) {
      var version = s(u[0]);
      items.push({ version: version, arch: s(u[1]), tag: s(u[2]), unpublished: true, places: placesOfVersion[version] || [] });
    });
    var findings = raw.findings.map(function (f) { return { severity: s(f[0]), code: s(f[1]), message: s(f[2]), file: s(f[3]), line: f[4] }; });
    return { meta: raw.meta, items: items, findings: findings, changes: raw.changes };
  }

  // The worst outcome of a node's update edges, as the tool decides it (a failing edge fails the node).
  function edgesOutcome(edges) {
    var worst = ['invalid', 'missing', 'error', 'verified'];
    for (var i = 0; i < worst.length; i++) {
      for (var j = 0; j < edges.length; j++) if (edges[j].outcome === worst[i]) return worst[i];
    }
    return 'skipped';
  }
  var EDGES_SHOWN = 50;

  function cellOutcome(item, check) {
    if (item.unpublished) return 'unpublished';
    if (check === 'all') {
      if (item.status === 'passed' && item.openpgp.outcome === 'skipped' && item.sigstore.outcome === 'skipped') return 'skipped';
      return item.status;
    }
    var o = item[check].outcome;
    return o === 'verified' ? 'passed' : o === 'missing' || o === 'invalid' ? 'failed' : o;
  }

  function minorOf(version) {
    var m = /^(\d+)\.(\d+)/.exec(version);
    return m ? m[1] + '.' + m[2] : '';
  }
  function compareMinor(a, b) {
    var pa = a.split('.').map(Number), pb = b.split('.').map(Number);
    return (pb[0] - pa[0]) || (pb[1] - pa[1]);
  }
  var KIND_ORDER = ['candidate', 'fast', 'stable', 'eus', 'prerelease'];
  function channelOrder(a, b) {
    var ma = /^([a-z]+)-(\d+)\.(\d+)$/.exec(a), mb = /^([a-z]+)-(\d+)\.(\d+)$/.exec(b);
    if (ma && !mb) return -1;
    if (mb && !ma) return 1;
    if (ma && mb) {
      var d = (Number(mb[2]) - Number(ma[2])) || (Number(mb[3]) - Number(ma[3]));
      if (d) return d;
      var ka = KIND_ORDER.indexOf(ma[1]), kb = KIND_ORDER.indexOf(mb[1]);
      if (ka !== kb) return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function render(data) {
    var meta = data.meta;
    var items = data.items;
    var changes = data.changes;
    var body = document.body;
    if (changes) {
      CHANGE_KINDS.forEach(function (k) {
        (changes[k[0]] || []).forEach(function (c) {
          var key = c.version + '\u0000' + c.arch;
          (changedKind[key] = changedKind[key] || []).push(k[1]);
        });
      });
    }
    var itemByKey = Object.create(null);
    items.forEach(function (item, i) { if (!item.unpublished) itemByKey[item.version + '\u0000' + item.arch] = i; });

    // Header: the run and its counts, counted here from the nodes themselves.
    var header = add(body, el('header'));
    add(header, el('h1', null, 'release-sigcheck report'));
    var verdict = meta.status === 'passed' ? 'passed' : meta.status === 'failed' ? 'failed' : 'incomplete (errors)';
    var line = add(header, el('p'));
    add(line, el('b', 'verdict-' + meta.status, verdict));
    line.appendChild(document.createTextNode(' (exit code ' + meta.exitCode + '), ' + meta.mode + ' of ' + (meta.mirror ? meta.mirror + ' (identities of ' + meta.releaseRepo + ')' : meta.releaseRepo) + '; required: ' + (meta.require.join(', ') || 'none') + (meta.graphData ? '; graph-data ' + meta.graphData : '') + '; ' + (meta.durationMs / 1000).toFixed(1) + ' s'));
    var counts = { nodes: 0, passed: 0, failed: 0, errored: 0, unpublished: 0, findings: data.findings.length };
    var byCheck = { openpgp: {}, sigstore: {}, edges: {} };
    OUTCOMES.forEach(function (o) { byCheck.openpgp[o] = 0; byCheck.sigstore[o] = 0; byCheck.edges[o] = 0; });
    var anyEdges = false;
    items.forEach(function (item) {
      if (item.unpublished) { counts.unpublished++; return; }
      counts.nodes++;
      if (item.status === 'passed') counts.passed++; else if (item.status === 'failed') counts.failed++; else counts.errored++;
      byCheck.openpgp[item.openpgp.outcome]++;
      byCheck.sigstore[item.sigstore.outcome]++;
      if (item.edges) {
        anyEdges = true;
        item.edges.forEach(function (e) { byCheck.edges[e.outcome]++; });
      }
    });
    var countsBox = add(header, el('div'));
    countsBox.id = 'counts';
    [['nodes', 'nodes'], ['passed', 'passed'], ['failed', 'failed'], ['errored', 'could not be checked'], ['unpublished', 'not published'], ['findings', 'findings']].forEach(function (c) {
      var d = add(countsBox, el('div'));
      var b = add(d, el('b', null, counts[c[0]]));
      b.setAttribute('data-count', c[0]);
      d.appendChild(document.createTextNode(c[1]));
    });
    var table = add(header, el('table', 'checks'));
    var tr = add(table, el('tr'));
    add(tr, el('th', null, 'check'));
    OUTCOMES.forEach(function (o) { add(tr, el('th', null, o)); });
    (anyEdges ? ['openpgp', 'sigstore', 'edges'] : ['openpgp', 'sigstore']).forEach(function (check) {
      var r = add(table, el('tr'));
      add(r, el('th', null, CHECK_LABEL[check]));
      OUTCOMES.forEach(function (o) {
        var td = add(r, el('td', null, byCheck[check][o]));
        td.setAttribute('data-count', check + '.' + o);
      });
    });

    // What changed: first, because it is what a periodic audit is read for.
    if (changes) renderChanges(body, changes, items, itemByKey, meta);

    // Filters.
    var controls = add(body, el('form'));
    controls.id = 'controls';
    controls.addEventListener('submit', function (e) { e.preventDefault(); });
    function select(name, label, options) {
      var l = add(controls, el('label', null, label + ' '));
      var s = add(l, el('select'));
      s.name = name;
      s.id = 'filter-' + name;
      options.forEach(function (o) {
        var opt = add(s, el('option', null, o[1]));
        opt.value = o[0];
      });
      s.addEventListener('change', applyFilters);
      return s;
    }

    // The grid: one row per channel, in it one group per version, in it one cell per architecture.
    var rows = Object.create(null);
    items.forEach(function (item, i) {
      var seen = Object.create(null);
      var places = item.places.length > 0 ? item.places : [{ channel: '(in no channel)' }];
      places.forEach(function (p) {
        if (seen[p.channel]) return;
        seen[p.channel] = true;
        var row = rows[p.channel] || (rows[p.channel] = { versions: [], byVersion: Object.create(null) });
        var group = row.byVersion[item.version];
        if (!group) { group = row.byVersion[item.version] = { version: item.version, cells: [] }; row.versions.push(group); }
        group.cells.push(i);
      });
    });
    var archRank = function (i) { var r = meta.arches.indexOf(items[i].arch); return r < 0 ? 99 : r; };
    Object.keys(rows).forEach(function (ch) { rows[ch].versions.forEach(function (g) { g.cells.sort(function (a, b) { return archRank(a) - archRank(b); }); }); });
    var channels = Object.keys(rows).sort(channelOrder);
    var minors = Object.keys(items.reduce(function (acc, item) { acc[minorOf(item.version)] = true; return acc; }, Object.create(null))).filter(Boolean).sort(compareMinor);
    var fChannel = select('channel', 'Channel', [['', 'all channels']].concat(channels.map(function (c) { return [c, c]; })));
    var fMinor = select('minor', 'Minor', [['', 'all versions']].concat(minors.map(function (m) { return [m, m]; })));
    var fCheck = select('check', 'Check', [['all', 'all required checks'], ['openpgp', 'OpenPGP'], ['sigstore', 'Sigstore']]);
    var fOutcome = select('outcome', 'Outcome', [['', 'any outcome']].concat(CELL_OUTCOMES.map(function (o) { return [o, o === 'skipped' ? 'skipped / not required' : o === 'unpublished' ? 'not published' : o]; })));
    var legend = add(controls, el('div', 'legend'));
    CELL_OUTCOMES.forEach(function (o) {
      var sp = add(legend, el('span'));
      add(sp, el('span', 'sw o-' + o));
      sp.appendChild(document.createTextNode(o === 'skipped' ? 'skipped / not required' : o === 'unpublished' ? 'not published' : o));
    });
    add(controls, el('span', 'muted', 'cells of a version: ' + meta.arches.join(', ')));
    var shown = add(controls, el('span', 'muted'));
    shown.id = 'shown';

    var grid = add(body, el('main'));
    grid.id = 'grid';
    var cellEls = [];
    var groupEls = [];
    var rowEls = [];
    channels.forEach(function (channel) {
      var row = rows[channel];
      var rowEl = add(grid, el('section', 'row'));
      rowEl.setAttribute('data-channel', channel);
      add(rowEl, el('div', 'name', channel));
      var versions = add(rowEl, el('div', 'versions'));
      var groups = [];
      row.versions.forEach(function (g) {
        var gEl = add(versions, el('span', 'v'));
        gEl.setAttribute('data-version', g.version);
        add(gEl, el('i', null, g.version));
        var cellsEl = add(gEl, el('span'));
        var cells = [];
        g.cells.forEach(function (i) {
          var item = items[i];
          var c = add(cellsEl, el('span', 'c'));
          c.setAttribute('data-i', String(i));
          c.setAttribute('data-arch', item.arch);
          c.tabIndex = 0;
          if (changedKind[item.version + '\u0000' + item.arch]) c.classList.add('changed');
          var rec = { el: c, item: item, outcome: '' };
          cells.push(rec);
          cellEls.push(rec);
        });
        var grec = { el: gEl, minor: minorOf(g.version), cells: cells };
        groups.push(grec);
        groupEls.push(grec);
      });
      rowEls.push({ el: rowEl, channel: channel, groups: groups });
    });

    function applyFilters() {
      var check = fCheck.value, outcome = fOutcome.value, channel = fChannel.value, minor = fMinor.value;
      var visible = 0;
      rowEls.forEach(function (r) {
        var rowVisible = false;
        var channelOk = !channel || r.channel === channel;
        r.groups.forEach(function (g) {
          var groupVisible = false;
          var groupOk = channelOk && (!minor || g.minor === minor);
          g.cells.forEach(function (c) {
            var o = cellOutcome(c.item, check);
            if (o !== c.outcome) {
              if (c.outcome) c.el.classList.remove('o-' + c.outcome);
              c.el.classList.add('o-' + o);
              c.outcome = o;
              c.el.title = c.item.version + ' ' + c.item.arch + ': ' + (o === 'unpublished' ? 'not published' : o);
              c.el.setAttribute('data-outcome', o);
            }
            var show = groupOk && (!outcome || o === outcome);
            c.el.hidden = !show;
            if (show) { groupVisible = true; visible++; }
          });
          g.el.hidden = !groupVisible;
          if (groupVisible) rowVisible = true;
        });
        r.el.hidden = !rowVisible;
      });
      shown.textContent = 'showing ' + visible + ' of ' + cellEls.length + ' cells';
      shown.setAttribute('data-visible', String(visible));
    }
    applyFilters();

    grid.addEventListener('click', function (e) {
      var t = e.target;
      if (t && t.classList && t.classList.contains('c') && t.hasAttribute('data-i')) openDetails(items[Number(t.getAttribute('data-i'))], meta);
    });
    grid.addEventListener('keydown', function (e) {
      var t = e.target;
      if ((e.key === 'Enter' || e.key === ' ') && t && t.hasAttribute && t.hasAttribute('data-i')) { e.preventDefault(); openDetails(items[Number(t.getAttribute('data-i'))], meta); }
    });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeDetails(); });

    if (data.findings.length > 0) {
      var fs = add(body, el('section'));
      fs.id = 'findings';
      add(fs, el('h2', null, 'Findings (' + data.findings.length + ')'));
      var ul = add(fs, el('ul'));
      data.findings.forEach(function (f) {
        add(ul, el('li', null, f.severity + ' ' + (f.file ? meta.pathPrefix + f.file + (f.line ? ':' + f.line : '') + ': ' : '') + f.message + ' [' + f.code + ']'));
      });
    }
  }

  function renderChanges(body, changes, items, itemByKey, meta) {
    var box = add(body, el('section'));
    box.id = 'changes';
    var p = changes.previous;
    add(box, el('h2', null, 'What changed since the previous run'));
    var intro = p.found
      ? 'Compared with ' + p.file + ' (' + p.nodes + ' nodes' + (p.status ? ', ' + p.status : '') + '): ' + changes.compared + ' nodes compared, ' + changes.added + ' not in it, ' + changes.knownFailures + ' failing as before.'
      : 'No previous report at ' + p.file + ': every failure counts as new.';
    add(box, el('p', null, intro));
    if (changes.failOn === 'new') {
      var fresh = changes.newlyFailing.length + changes.newFindings.length;
      add(box, el('p', null, '--fail-on new: ' + (fresh > 0 ? fresh + ' new failure(s) fail this run' : 'no new failure') + '; ' + changes.knownFailures + ' failure(s) known from the previous report do not fail this run.'));
    }
    var any = false;
    CHANGE_KINDS.forEach(function (k) {
      var list = changes[k[0]] || [];
      if (list.length === 0) return;
      any = true;
      var h = add(box, el('h3', null, k[1] + ' (' + list.length + ')'));
      h.setAttribute('data-change', k[0]);
      var ul = add(box, el('ul'));
      ul.setAttribute('data-change', k[0]);
      list.slice(0, CHANGES_SHOWN).forEach(function (c) {
        var li = add(ul, el('li'));
        var i = itemByKey[c.version + '\u0000' + c.arch];
        var b = add(li, el('button', 'link', c.version + ' ' + c.arch));
        b.type = 'button';
        if (i === undefined) b.disabled = true;
        else b.addEventListener('click', function () { openDetails(items[i], meta); });
        var text;
        if (k[0] === 'digestChanged') text = ': ' + (c.previous && c.previous.digest) + ' \u2192 ' + c.current.digest;
        else if (k[0] === 'signaturesDisappeared') text = ': ' + (c.checks || []).map(function (x) { return CHECK_LABEL[x]; }).join(' and ') + ' verified before, missing now';
        else text = ' (' + (c.previous ? 'was ' + c.previous.status : 'not in the previous report') + ')' + (c.reason ? ': ' + c.reason : '');
        li.appendChild(document.createTextNode(text));
      });
      if (list.length > CHANGES_SHOWN) add(ul, el('li', 'muted', '\u2026 and ' + (list.length - CHANGES_SHOWN) + ' more in the JSON report'));
    });
    if (changes.newFindings.length > 0) {
      any = true;
      add(box, el('h3', null, 'new error findings (' + changes.newFindings.length + ')'));
      var ul = add(box, el('ul'));
      changes.newFindings.forEach(function (f) { add(ul, el('li', null, (f.file ? meta.pathPrefix + f.file + (f.line ? ':' + f.line : '') + ': ' : '') + f.message + ' [' + f.code + ']')); });
    }
    if (!any && p.found) add(box, el('p', null, 'Nothing changed.'));
  }

  var panel = null;
  function closeDetails() { if (panel) panel.hidden = true; }
  function openDetails(item, meta) {
    if (!panel) {
      panel = add(document.body, el('aside'));
      panel.id = 'details';
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-label', 'node details');
    }
    panel.textContent = '';
    panel.hidden = false;
    var close = add(panel, el('button', 'close', 'close'));
    close.type = 'button';
    close.addEventListener('click', closeDetails);
    add(panel, el('h2', null, item.version + ' ' + item.arch));
    var dl = add(panel, el('dl'));
    function row(k, v) { add(dl, el('dt', null, k)); var dd = add(dl, el('dd', null, v)); return dd; }
    if (item.unpublished) {
      row('status', 'not published');
      row('tag', item.tag + ' does not exist (not a failure)');
    } else {
      row('status', item.status).setAttribute('data-field', 'status');
      if (item.tag) row('tag', item.tag);
      row('digest', item.digest || '(not resolved)').setAttribute('data-field', 'digest');
    }
    var kinds = changedKind[item.version + '\u0000' + item.arch];
    if (kinds) row('changed', kinds.join(', '));
    if (!item.unpublished) {
      ['openpgp', 'sigstore'].forEach(function (check) {
        var r = item[check];
        var h = add(panel, el('h3', null, CHECK_LABEL[check] + ': ' + r.outcome));
        h.setAttribute('data-check', check);
        var reason = add(panel, el('div', 'reason', r.reason || ''));
        reason.setAttribute('data-reason', check);
        if (r.signer) add(panel, el('div', 'muted', 'signer: ' + r.signer));
        if (r.identity) add(panel, el('div', 'muted', 'identity: ' + r.identity));
      });
      if (item.edges) renderEdges(item.edges);
    }
    // The update edges into the node: those that fail or could not be judged first, each with its reason.
    function renderEdges(edges) {
      var h = add(panel, el('h3', null, 'Update edges: ' + edgesOutcome(edges) + ' (' + edges.length + ')'));
      h.setAttribute('data-check', 'edges');
      if (edges.length === 0) { add(panel, el('div', 'muted', 'no update edge leads into this release in this run')); return; }
      var bad = edges.filter(function (e) { return e.outcome !== 'verified' && e.outcome !== 'skipped'; });
      var rest = edges.filter(function (e) { return e.outcome === 'verified' || e.outcome === 'skipped'; });
      var list = add(panel, el('ul'));
      list.setAttribute('data-field', 'edges');
      bad.concat(rest).slice(0, EDGES_SHOWN).forEach(function (e) {
        var li = add(list, el('li', null, (e.from === null ? '(the edges could not be determined)' : 'from ' + e.from) + ': ' + e.outcome + (e.digest ? ' (' + e.digest + ')' : '')));
        li.setAttribute('data-edge-outcome', e.outcome);
        if (e.outcome !== 'verified') add(li, el('div', 'reason', e.reason || '')).setAttribute('data-reason', 'edge');
      });
      if (edges.length > EDGES_SHOWN) add(list, el('li', 'muted', '\u2026 and ' + (edges.length - EDGES_SHOWN) + ' more in the JSON report'));
    }
    add(panel, el('h3', null, 'Where graph-data promotes it'));
    var ul = add(panel, el('ul'));
    ul.setAttribute('data-field', 'places');
    if (item.places.length === 0) add(ul, el('li', 'muted', 'in no channel file'));
    item.places.forEach(function (p) { add(ul, el('li', null, meta.pathPrefix + p.file + ':' + p.line + ' (' + p.channel + ')')); });
    close.focus();
  }

  try {
    var raw = JSON.parse(document.getElementById('report-data').textContent);
    if (!raw || raw.format !== 1) throw new Error('this page was written by another version of release-sigcheck');
    render(decode(raw));
    document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now() - t0)));
    document.documentElement.setAttribute('data-ready', 'true');
  } catch (err) {
    var box = document.body.appendChild(el('p', 'fatal', 'The report could not be drawn: ' + (err && err.message ? err.message : String(err))));
    box.id = 'fatal';
    console.error(err);
  }
})();
`;
