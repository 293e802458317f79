// The mapping optimizer's page: shows a frontier report written by OptimizeCli (frontier.json), places the live
// mapping on it, and turns a chosen mapping into a draft routing version (POST /admin/api/versions/import), shown as a
// diff against the live version and applied like any draft. The report is read in the browser; nothing is uploaded
// except the draft's routing.yaml.
import {$, el, fill, show, showProblem, showOk} from './dom.js';
import * as api from './api.js';

let csrf = null;
let report = null;
let live = null;
let selected = null;
let draftNumber = null;
let chart = null;

async function main() {
    const session = await api.session();
    csrf = session.csrf;
    fill($('#user'), session.username);
    api.onEtag(tag => fill($('#live-version'), `live version ${tag.replaceAll('"', '')}`));
    live = (await api.getTagged('/admin/api/config')).body;
    $('#opt-file').addEventListener('change', e => load(e.target.files[0]));
    $('#opt-preview').addEventListener('click', () => importDraft(true));
    $('#opt-draft').addEventListener('click', () => importDraft(false));
    $('#opt-apply').addEventListener('click', applyDraft);
    document.body.dataset.ready = 'true';
}

async function load(file) {
    if (!file) {
        return;
    }
    try {
        report = JSON.parse(await file.text());
    } catch (e) {
        showProblem($('#banner'), {title: 'Not a frontier report', detail: `${file.name}: ${e.message}`});
        return;
    }
    if (!Array.isArray(report.frontier) || !report.bestSingle) {
        showProblem($('#banner'), {title: 'Not a frontier report', detail: `${file.name} has no frontier (write it with OptimizeCli)`});
        return;
    }
    show($('#banner'), false);
    fill($('#opt-summary'), `${report.suite}: fitted on ${report.fitItems} items, scored on ${report.heldOutItems} held-out; `
        + `classifier ${report.classifier}; cost in ${report.basis}`);
    renderChart();
    renderPoints();
}

/** The live mapping's expected point from the report's own fitting-split table, when its experts are in it. */
function livePoint() {
    const mapping = {};
    let cost = 0;
    let quality = 0;
    const costs = Object.fromEntries(report.singles.map(p => [p.label, p.cost]));
    for (const [category, share] of Object.entries(report.shares)) {
        const c = live.config.categories.find(x => x.id === category);
        const expert = (c && c.chain && c.chain[0]) || live.config.fallbackChain[0];
        const cell = report.cells[category] && report.cells[category][expert];
        if (!cell || costs[expert] === undefined) {
            return {missing: expert};
        }
        mapping[category] = expert;
        if (share > 0) {
            cost += share * costs[expert];
            quality += share * cell.mean;
        }
    }
    return {mapping, cost, quality};
}

function renderChart() {
    const xy = p => ({x: p.cost, y: p.quality.mean, label: p.label});
    const datasets = [
        {label: 'frontier (held-out)', data: report.frontier.map(xy), showLine: true, borderColor: '#1f77b4',
            backgroundColor: '#1f77b4', pointRadius: 2},
        {label: 'single experts', data: report.singles.map(xy), backgroundColor: '#888', pointRadius: 4},
        {label: 'budget answers', data: Object.values(report.budgets).map(xy), backgroundColor: '#d62728', pointRadius: 7},
    ];
    const lp = livePoint();
    if (lp.missing) {
        fill($('#opt-live-note'), `Live mapping not shown: its expert ${lp.missing} has no recorded score in this report.`);
    } else {
        datasets.push({label: 'live mapping (fitting split, in-sample)', data: [{x: lp.cost, y: lp.quality, label: 'live'}],
            backgroundColor: '#2ca02c', pointRadius: 7});
        fill($('#opt-live-note'), 'The live mapping is placed by the report\'s fitting-split table; the other points are held-out.');
    }
    if (typeof window.Chart === 'undefined') {
        return;
    }
    if (chart) {
        chart.destroy();
    }
    chart = new window.Chart($('#opt-chart'), {type: 'scatter', data: {datasets}, options: {
        maintainAspectRatio: false, animation: false,
        scales: {x: {title: {display: true, text: `average cost (${report.basis})`}},
            y: {title: {display: true, text: 'held-out quality'}}},
        plugins: {tooltip: {callbacks: {label: c => `${c.raw.label}: cost ${c.raw.x.toFixed(2)}, quality ${c.raw.y.toFixed(4)}`}}},
        onClick: (event, elements) => {
            if (elements.length) {
                const p = datasets[elements[0].datasetIndex].data[elements[0].index];
                const point = [...report.frontier, ...report.singles, ...Object.values(report.budgets)].find(x => x.label === p.label);
                if (point) {
                    select(point);
                }
            }
        }}});
}

function renderPoints() {
    const rows = [report.bestSingle, ...Object.values(report.budgets), ...report.frontier];
    fill($('#opt-points tbody'), rows.map(p => el('tr', {},
        el('td', {}, p.label),
        el('td', {className: 'num'}, p.cost.toFixed(2)),
        el('td', {className: 'num'}, p.quality.mean.toFixed(4)),
        el('td', {className: 'num'}, p.quality.standardError.toFixed(4)),
        el('td', {className: 'num'}, p.vsBestSingle ? `${p.vsBestSingle.mean >= 0 ? '+' : ''}${p.vsBestSingle.mean.toFixed(4)}` : ''),
        el('td', {}, el('button', {type: 'button', onclick: () => select(p)}, 'Select')))));
}

function select(point) {
    selected = point;
    draftNumber = null;
    show($('#opt-apply'), false);
    show($('#opt-diff'), false);
    show($('#opt-problem'), false);
    fill($('#opt-selected-label'), `${point.label} (cost ${point.cost.toFixed(2)}, held-out quality ${point.quality.mean.toFixed(4)})`);
    fill($('#opt-mapping tbody'), Object.entries(point.mapping).map(([category, expert]) => {
        const c = live.config.categories.find(x => x.id === category);
        return el('tr', {}, el('td', {}, category),
            el('td', {className: 'num'}, `${((report.shares[category] || 0) * 100).toFixed(1)} %`),
            el('td', {}, expert), el('td', {}, c && c.chain ? c.chain.join(' → ') : '(no rule)'));
    }));
    show($('#opt-selected'));
}

/** routing.yaml for the selected mapping: the chosen expert first, the live chain's others behind it as fallbacks. */
export function draftYaml(mapping, config) {
    const q = s => JSON.stringify(s); // a JSON string is a valid YAML scalar, whatever characters an id holds
    const lines = [`# Draft from the mapping optimizer: ${selected ? selected.label : ''}`.replace(/\n/g, ' '),
        `router-models: [${config.routerModels.map(q).join(', ')}]`,
        `fallback-chain: [${config.fallbackChain.map(q).join(', ')}]`];
    if (config.defaultThreshold !== null && config.defaultThreshold !== undefined) {
        lines.push(`default-threshold: ${config.defaultThreshold}`);
    }
    lines.push('rules:');
    for (const c of config.categories) {
        const chosen = mapping[c.id];
        const chain = chosen ? [chosen, ...(c.chain || []).filter(e => e !== chosen)] : c.chain;
        if (!chain) {
            continue;
        }
        lines.push(`  - category: ${q(c.id)}`, `    chain: [${chain.map(q).join(', ')}]`);
        if (c.threshold !== null && c.threshold !== undefined) {
            lines.push(`    threshold: ${c.threshold}`);
        }
        if (c.fallback) {
            lines.push(`    fallback: ${q(c.fallback)}`);
        }
    }
    return lines.join('\n') + '\n';
}

async function importDraft(dryRun) {
    show($('#opt-problem'), false);
    live = (await api.getTagged('/admin/api/config')).body;
    const comment = $('#opt-comment').value || `mapping optimizer: ${selected.label} of ${report.suite}`;
    const url = `/admin/api/versions/import?dryRun=${dryRun}&comment=${encodeURIComponent(comment)}`;
    const response = await fetch(url, {method: 'POST', credentials: 'same-origin', body: draftYaml(selected.mapping, live.config),
        headers: {'Content-Type': 'application/yaml', 'Accept': 'application/json', [csrf.headerName]: csrf.token}});
    const data = await response.json().catch(() => ({status: response.status, title: response.statusText}));
    if (!response.ok) {
        showProblem($('#opt-problem'), data);
        return;
    }
    fill($('#opt-diff-title'), dryRun ? `Would change, against live version ${data.live}`
        : `Draft version ${data.draft.number}, against live version ${data.live}`);
    fill($('#opt-diff-rows'), data.changes.length ? data.changes.map(c => el('tr', {}, el('td', {}, el('code', {}, c.path)),
        el('td', {}, JSON.stringify(c.before)), el('td', {}, JSON.stringify(c.after))))
        : [el('tr', {}, el('td', {colSpan: 3, className: 'muted'}, 'no change: the live version already routes this way'))]);
    show($('#opt-diff'));
    if (!dryRun) {
        draftNumber = data.draft.number;
        show($('#opt-apply'));
    }
}

async function applyDraft() {
    try {
        const saved = await api.change('POST', `/admin/api/versions/${draftNumber}/apply`, {comment: $('#opt-comment').value},
            api.liveEtag());
        showOk($('#opt-problem'), `Draft ${draftNumber} is live as version ${saved.number}; roll back from the History tab.`);
        show($('#opt-apply'), false);
        live = (await api.getTagged('/admin/api/config')).body;
        if (report) {
            renderChart();
        }
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#opt-problem'), e.problem);
    }
}

main().catch(e => {
    if (e instanceof api.Problem) {
        showProblem($('#banner'), e.problem);
    } else {
        console.error(e);
    }
});
