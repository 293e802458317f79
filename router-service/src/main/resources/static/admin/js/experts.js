// Experts: the live version's experts, each one added, edited, removed or taken out of routing as a new version
// (built and applied by the router without a restart). Secrets never pass through here: only variable names.
import {$, el, fill, show, showProblem} from './dom.js';
import * as api from './api.js';

// Fields the form edits directly; everything else of a definition is edited as JSON in the advanced box.
const SIMPLE = ['id', 'provider', 'baseUrl', 'model', 'apiKeyEnv', 'description', 'requestTimeout', 'cost'];
let editing = null;  // {id (null when adding), etag: the version the edit started from}

export async function load() {
    const {body: experts, etag} = await api.getTagged('/admin/api/experts');
    fill($('#experts-table tbody'), experts.map(x => el('tr', {dataset: {expert: x.id}},
        el('td', {}, el('strong', {}, x.id), x.description ? el('div', {className: 'muted'}, x.description) : ''),
        el('td', {}, x.provider),
        el('td', {}, x.model),
        el('td', {className: 'url'}, x.baseUrl ?? ''),
        el('td', {}, x.apiKeyEnv ? [el('code', {}, x.apiKeyEnv), x.apiKeySet ? ' (set)' : ' (not set)'] : el('span', {className: 'muted'}, 'none')),
        el('td', {}, `connect ${x.connectTimeout}, request ${x.requestTimeout}`),
        el('td', {className: 'num'}, x.resilience?.bulkhead?.maxConcurrentCalls ?? ''),
        el('td', {}, x.routable ? 'yes' : 'no'),
        el('td', {}, x.referencedBy.map(r => el('div', {}, el('code', {}, r)))),
        el('td', {className: 'actions'},
            el('button', {type: 'button', className: 'edit', onclick: () => edit(x.id, etag)}, 'Edit'),
            el('button', {type: 'button', className: 'toggle', onclick: () => toggle(x, etag)},
                x.routable ? 'Take out of routing' : 'Make routable'),
            el('button', {type: 'button', className: 'remove', onclick: () => remove(x, etag)}, 'Remove')))));
    $('#expert-add').onclick = () => edit(null, etag);
    $('#expert-cancel').onclick = () => show($('#expert-editor'), false);
    $('#expert-editor').onsubmit = e => {
        e.preventDefault();
        save();
    };
}

async function toggle(expert, etag) {
    await changing($('#experts-problem'), () => api.change('PUT', `/admin/api/experts/${encodeURIComponent(expert.id)}/routable`,
        {routable: !expert.routable}, etag));
}

async function remove(expert, etag) {
    if (!window.confirm(`Remove expert ${expert.id}? (History keeps it; a rollback brings it back.)`)) {
        return;
    }
    await changing($('#experts-problem'), () => api.change('DELETE', `/admin/api/experts/${encodeURIComponent(expert.id)}`,
        undefined, etag));
}

async function edit(id, etag) {
    editing = {id, etag};
    show($('#experts-problem'), false);
    show($('#expert-editor-problem'), false);
    const d = id ? await api.get(`/admin/api/experts/${encodeURIComponent(id)}/definition`) : {provider: 'openai'};
    $('#expert-editor-title').textContent = id ? `Edit ${id}` : 'Add expert';
    $('#expert-base').textContent = etag ?? '';
    $('#expert-id').value = d.id ?? '';
    $('#expert-id').disabled = !!id;
    $('#expert-provider').value = d.provider ?? 'openai';
    $('#expert-base-url').value = d.baseUrl ?? '';
    $('#expert-model').value = d.model ?? '';
    $('#expert-key-env').value = d.apiKeyEnv ?? '';
    $('#expert-description').value = d.description ?? '';
    $('#expert-request-timeout').value = d.requestTimeout ?? '';
    $('#expert-active-params').value = d.cost?.activeParamsB ?? '';
    $('#expert-input-usd').value = d.cost?.inputUsdPerMillion ?? '';
    $('#expert-output-usd').value = d.cost?.outputUsdPerMillion ?? '';
    const advanced = Object.fromEntries(Object.entries(d).filter(([k, v]) => !SIMPLE.includes(k) && v !== null));
    $('#expert-advanced').value = Object.keys(advanced).length ? JSON.stringify(advanced, null, 2) : '';
    $('#expert-comment').value = '';
    show($('#expert-editor'));
    $('#expert-editor').scrollIntoView({block: 'nearest'});
}

function text(selector) {
    const v = $(selector).value.trim();
    return v === '' ? null : v;
}

function number(selector) {
    const v = text(selector);
    return v === null ? null : Number(v);
}

async function save() {
    const box = $('#expert-editor-problem');
    let advanced = {};
    try {
        advanced = text('#expert-advanced') ? JSON.parse($('#expert-advanced').value) : {};
    } catch (e) {
        showProblem(box, {title: 'Not JSON', detail: `the advanced settings are not valid JSON: ${e.message}`});
        return;
    }
    const cost = {activeParamsB: number('#expert-active-params'), inputUsdPerMillion: number('#expert-input-usd'),
        outputUsdPerMillion: number('#expert-output-usd')};
    const expert = {...advanced, id: text('#expert-id'), provider: $('#expert-provider').value, baseUrl: text('#expert-base-url'),
        model: text('#expert-model'), apiKeyEnv: text('#expert-key-env'), description: text('#expert-description'),
        requestTimeout: text('#expert-request-timeout'),
        cost: Object.values(cost).some(v => v !== null) ? cost : null};
    const body = {expert, comment: text('#expert-comment')};
    const ok = await changing(box, () => editing.id
        ? api.change('PUT', `/admin/api/experts/${encodeURIComponent(editing.id)}`, body, editing.etag)
        : api.change('POST', '/admin/api/experts', body, editing.etag));
    if (ok) {
        show($('#expert-editor'), false);
    }
}

/** Runs a change; on success reloads the views that show the configuration, on a problem shows it in `box`. */
async function changing(box, call) {
    show(box, false);
    try {
        await call();
        document.dispatchEvent(new CustomEvent('config-changed'));
        await load();
        return true;
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem(box, e.problem, load);
        return false;
    }
}
