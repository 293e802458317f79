// Explain: classify a prompt without calling an expert; show the distribution and the chain under the live version
// and, when chosen, under another version (a draft, typically).
import {$, el, fill, show, chain, percent, showProblem} from './dom.js';
import * as api from './api.js';

export async function load() {
    const versions = await api.get('/admin/api/versions');
    const current = $('#explain-version').value;
    // Drafts first: trying a draft before applying it is what this box is for.
    const others = versions.filter(v => v.status !== 'live')
        .sort((a, b) => (a.status === 'draft' ? 0 : 1) - (b.status === 'draft' ? 0 : 1) || b.number - a.number);
    fill($('#explain-version'), el('option', {value: ''}, 'live only'),
        others.map(v => el('option', {value: String(v.number), selected: String(v.number) === current},
            `version ${v.number} (${v.status})${v.comment ? ' – ' + v.comment : ''}`)));
}

async function run(event) {
    event.preventDefault();
    show($('#explain-problem'), false);
    const version = $('#explain-version').value;
    try {
        const x = await api.post('/admin/api/explain', {prompt: $('#explain-prompt').value,
            version: version ? Number(version) : undefined});
        fill($('#explain-category'), x.category);
        fill($('#explain-confidence'), percent(x.confidence));
        const entries = Object.entries(x.distribution).sort((a, b) => b[1] - a[1]);
        fill($('#explain-distribution'), entries.map(([category, p]) => el('div', {className: 'bar-row'},
            el('span', {className: 'bar-label'}, category),
            el('span', {className: 'bar'}, el('span', {className: 'bar-fill', style: {width: `${(p * 100).toFixed(1)}%`}})),
            el('span', {className: 'num'}, percent(p)))));
        route('live', x.live);
        show($('#explain-candidate'), !!x.candidate);
        if (x.candidate) {
            route('candidate', x.candidate);
        }
        show($('#explain-result'));
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#explain-problem'), e.problem);
    }
}

function route(which, r) {
    fill($(`#explain-${which}-chain`), chain(r.chain));
    fill($(`#explain-${which}-reason`), `reason: ${r.reason}${r.reason === 'uncertain' ? ' (below threshold ' + r.threshold + ')' : ''}${r.reason === 'foreign_script' ? ' (not Latin script: the English model cannot read it)' : ''}`);
    fill($(`#explain-${which}-version`), which === 'live' ? `(version ${r.version})` : `${r.version}${r.draft ? ' (draft)' : ''}`);
}

export function init() {
    $('#explain-form').addEventListener('submit', run);
}
