// Live: GET /admin/api/live every few seconds while the section is shown. Expert cards, two stacked bar charts over
// the time buckets (Chart.js), traffic per category and the last routing decisions.
import {$, el, fill, chain, time, percent, millis} from './dom.js';
import * as api from './api.js';

export const REFRESH_MILLIS = 3000;
const PALETTE = ['#2f6fdf', '#e8853d', '#3ba272', '#c84a8e', '#8c6bd1', '#d4b13a', '#41a8c4', '#9c5b3b', '#6b7a8f', '#d9534f'];

let charts = null;
let timer = null;
const colours = new Map();

function colour(key) {
    if (key === 'none') {
        return '#b0b0b0';
    }
    if (!colours.has(key)) {
        colours.set(key, PALETTE[colours.size % PALETTE.length]);
    }
    return colours.get(key);
}

export async function load() {
    const live = await api.get('/admin/api/live');
    fill($('#live-window'), `${Math.round(live.windowSeconds / 60)} min`);
    fill($('#live-at'), time(live.at));
    fill($('#live-prompts'), live.promptsLogged ? '(prompts are logged)' : '(prompts: SHA-256 prefix and length only)');
    renderExperts(live);
    renderCharts(live);
    fill($('#live-categories tbody'), Object.entries(live.categories).map(([id, c]) => el('tr', {dataset: {category: id}},
        el('td', {}, id),
        el('td', {className: 'num'}, String(c.requests)),
        el('td', {}, Object.entries(c.answeredBy).map(([expert, n]) =>
            el('span', {className: 'chip', style: {borderColor: colour(expert)}}, `${expert} ${n}`))))));
    fill($('#live-decisions tbody'), live.recent.map(d => el('tr', {dataset: {request: d.requestId}},
        el('td', {}, time(d.time)),
        el('td', {}, d.model),
        el('td', {}, d.category),
        el('td', {className: 'num'}, percent(d.confidence)),
        el('td', {}, chain(d.chain)),
        el('td', {className: 'attempts'}, d.attempts.join(', ')),
        el('td', {}, d.expert ?? el('span', {className: 'muted'}, 'none')),
        el('td', {className: d.status === 200 ? 'num' : 'num bad'}, String(d.status)),
        el('td', {className: 'num'}, millis(d.latencyMs)),
        el('td', {}, d.cache ?? ''),
        el('td', {className: 'prompt'}, d.prompt.text !== null && d.prompt.text !== undefined
            ? d.prompt.text : el('code', {title: 'SHA-256 prefix'}, `${d.prompt.sha256} (${d.prompt.length} chars)`)),
        el('td', {}, el('code', {}, d.requestId)))));
}

function renderExperts(live) {
    fill($('#live-experts'), live.experts.map(x => {
        const w = x.window;
        const state = x.circuitState ?? 'n/a';
        return el('div', {className: 'card', dataset: {expert: x.id}},
            el('div', {className: 'card-head'}, el('strong', {}, x.id),
                el('span', {className: `badge breaker-${state.toLowerCase()}`}, state)),
            el('dl', {},
                el('dt', {}, 'in flight'), el('dd', {}, x.callsInFlight === null ? '–' : `${x.callsInFlight} / ${x.maxConcurrentCalls}`),
                el('dt', {}, 'p50 / p99'), el('dd', {}, `${millis(w.p50Millis)} / ${millis(w.p99Millis)} ms`),
                el('dt', {}, 'error rate'), el('dd', {className: w.errorRate > 0 ? 'bad' : ''}, `${percent(w.errorRate)} of ${w.calls}`),
                el('dt', {}, 'refused'), el('dd', {}, String(w.refused)),
                el('dt', {}, 'cache hits'), el('dd', {}, `${percent(w.cacheHitRate)} (${w.cacheHits})`)));
    }), el('div', {className: 'card cache'},
        el('div', {className: 'card-head'}, el('strong', {}, 'response cache'), el('span', {className: 'muted'}, 'since start')),
        el('dl', {},
            el('dt', {}, 'hit rate'), el('dd', {}, percent(live.cache.hitRate)),
            el('dt', {}, 'hits / misses'), el('dd', {}, `${live.cache.hits} / ${live.cache.misses}`),
            el('dt', {}, 'entries'), el('dd', {}, String(live.cache.entries)),
            el('dt', {}, 'size'), el('dd', {}, `${(live.cache.weightBytes / 1024).toFixed(1)} KB`))));
}

function datasets(timeline, field) {
    const keys = [...new Set(timeline.flatMap(b => Object.keys(b[field])))].sort();
    return keys.map(key => ({label: key, data: timeline.map(b => b[field][key] ?? 0), backgroundColor: colour(key), stack: 's'}));
}

function renderCharts(live) {
    if (typeof window.Chart === 'undefined') {
        return; // the chart library did not load: the tables still show everything
    }
    const labels = live.timeline.map(b => time(b.start));
    if (!charts) {
        const options = {animation: false, responsive: true, maintainAspectRatio: false,
            scales: {x: {stacked: true, ticks: {maxTicksLimit: 6}}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}},
            plugins: {legend: {position: 'bottom'}}};
        charts = {
            categories: new window.Chart($('#chart-categories'), {type: 'bar', data: {labels, datasets: []}, options}),
            experts: new window.Chart($('#chart-experts'), {type: 'bar', data: {labels, datasets: []}, options}),
        };
    }
    for (const [name, field] of [['categories', 'categories'], ['experts', 'experts']]) {
        charts[name].data.labels = labels;
        charts[name].data.datasets = datasets(live.timeline, field);
        charts[name].update('none');
    }
}

/** Refreshes while the live section is shown; stops when another section is. */
export function start() {
    stop();
    load().catch(console.error);
    timer = window.setInterval(() => load().catch(console.error), REFRESH_MILLIS);
}

export function stop() {
    if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
    }
}
