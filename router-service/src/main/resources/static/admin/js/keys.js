// API keys: clients' keys for /v1, created (the key shown once) and revoked through the admin API.
import {$, el, fill, show, showProblem, dateTime} from './dom.js';
import * as api from './api.js';

export async function load() {
    const keys = await api.get('/admin/api/keys');
    fill($('#keys-table tbody'), keys.map(k => el('tr', {dataset: {key: k.id, status: k.status}},
        el('td', {}, el('strong', {}, k.name), el('div', {className: 'muted'}, el('code', {}, k.prefix), ' ', k.id)),
        el('td', {}, k.allowedModels.length ? k.allowedModels.join(', ') : el('span', {className: 'muted'}, 'all')),
        el('td', {}, k.allowedCategories.length ? k.allowedCategories.join(', ') : el('span', {className: 'muted'}, 'all')),
        el('td', {className: 'num'}, k.requestsPerMinute ?? '–'),
        el('td', {className: 'num'}, k.tokensPerMinute ?? '–'),
        el('td', {className: 'num'}, `${k.tokensUsed} / ${k.tokenBudget ?? '–'}`),
        el('td', {className: 'status'}, k.status),
        el('td', {}, dateTime(k.createdAt), el('div', {className: 'muted'}, k.createdBy)),
        el('td', {}, k.expiresAt ? dateTime(k.expiresAt) : el('span', {className: 'muted'}, 'never')),
        el('td', {}, k.status === 'revoked' ? '' : el('button', {type: 'button', className: 'revoke',
            onclick: () => revoke(k)}, 'Revoke')))));
}

function list(selector) {
    return $(selector).value.split(',').map(s => s.trim()).filter(s => s !== '');
}

function integer(selector) {
    const v = $(selector).value.trim();
    return v === '' ? null : Number(v);
}

/** The browser's local date and time as an instant; empty: never. An impossible date is left to the API to refuse. */
function instant(selector) {
    const v = $(selector).value;
    if (v === '') {
        return null;
    }
    const at = new Date(v);
    return isNaN(at) ? v : at.toISOString();
}

async function create() {
    show($('#key-problem'), false);
    show($('#key-created'), false);
    try {
        const created = await api.post('/admin/api/keys', {name: $('#key-name').value, allowedModels: list('#key-models'),
            allowedCategories: list('#key-categories'), requestsPerMinute: integer('#key-rpm'),
            tokensPerMinute: integer('#key-tpm'), tokenBudget: integer('#key-budget'), expiresAt: instant('#key-expires')});
        fill($('#key-secret'), created.key);
        show($('#key-created'));
        $('#key-form').querySelectorAll('input').forEach(i => i.value = '');
        await load();
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#key-problem'), e.problem);
    }
}

async function revoke(key) {
    if (!window.confirm(`Revoke ${key.name} (${key.id})? Clients using it get 401 from now on.`)) {
        return;
    }
    show($('#key-problem'), false);
    try {
        await api.change('DELETE', `/admin/api/keys/${encodeURIComponent(key.id)}`);
        await load();
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#key-problem'), e.problem);
    }
}

export function init() {
    $('#key-form').addEventListener('submit', event => {
        event.preventDefault();
        create();
    });
}
