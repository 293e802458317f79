// Experts: experts.yaml as the admin API shows it (read-only), and whether rules may name each one.
import {$, el, fill, show, showProblem} from './dom.js';
import * as api from './api.js';

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
        el('td', {}, el('button', {type: 'button', onclick: () => toggle(x, etag)},
            x.routable ? 'Take out of routing' : 'Make routable')))));
}

async function toggle(expert, etag) {
    show($('#experts-problem'), false);
    try {
        if (expert.routable) {
            await api.change('DELETE', `/admin/api/experts/${encodeURIComponent(expert.id)}`, undefined, etag);
        } else {
            await api.change('POST', '/admin/api/experts', {id: expert.id}, etag);
        }
        document.dispatchEvent(new CustomEvent('config-changed'));
        await load();
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#experts-problem'), e.problem, load);
    }
}
