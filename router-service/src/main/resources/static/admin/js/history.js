// History: every version, newest first; one version's diff from its parent (or any other version), its export, and
// a rollback (or, for a draft, applying it), which is itself a new version.
import {$, el, fill, show, dateTime, showProblem, showOk} from './dom.js';
import * as api from './api.js';

let versions = [];
let etag = null;
let selected = null;

export async function load() {
    const answer = await api.getTagged('/admin/api/versions');
    versions = answer.body;
    etag = answer.etag;
    fill($('#versions tbody'), versions.map(v => el('tr', {
            dataset: {version: String(v.number)}, className: v.number === selected ? 'selected' : '',
            onclick: () => select(v.number)},
        el('td', {className: 'num'}, String(v.number)),
        el('td', {}, el('span', {className: `badge ${v.status}`}, v.status)),
        el('td', {}, v.author),
        el('td', {}, dateTime(v.createdAt)),
        el('td', {className: 'comment'}, v.comment),
        el('td', {className: 'num'}, String(v.changes)))));
    if (selected !== null) {
        await select(selected, false);
    }
}

async function select(number, clearMessages = true) {
    selected = number;
    document.querySelectorAll('#versions tbody tr').forEach(tr => tr.classList.toggle('selected', tr.dataset.version === String(number)));
    const v = await api.get(`/admin/api/versions/${number}`);
    fill($('#detail-number'), String(v.number));
    fill($('#detail-status'), v.status);
    $('#detail-status').className = `badge ${v.status}`;
    fill($('#detail-meta'), `by ${v.author}, ${dateTime(v.createdAt)}`, v.parent ? `, parent ${v.parent}` : '');
    fill($('#detail-comment'), v.comment);
    $('#detail-export').href = `/admin/api/versions/${v.number}/export`;
    fill($('#diff-from'), el('option', {value: ''}, v.parent ? `its parent (${v.parent})` : '(nothing)'),
        versions.filter(o => o.number !== v.number).map(o => el('option', {value: String(o.number)}, `version ${o.number} (${o.status})`)));
    renderDiff(v.diff);
    const rollback = $('#rollback');
    rollback.hidden = v.status === 'live';
    fill(rollback, v.status === 'draft' ? `Apply draft ${v.number}` : `Roll back to version ${v.number}`);
    if (clearMessages) {
        show($('#history-problem'), false);
        show($('#history-ok'), false);
    }
    show($('#version-detail'));
}

function renderDiff(changes) {
    const value = x => x === null || x === undefined ? el('span', {className: 'muted'}, '–')
        : el('code', {}, typeof x === 'string' ? x : JSON.stringify(x));
    fill($('#diff tbody'), changes.length === 0 ? el('tr', {}, el('td', {colSpan: 3, className: 'muted'}, 'no changes'))
        : changes.map(c => el('tr', {},
            el('td', {}, el('code', {}, c.path)),
            el('td', {className: 'before'}, value(c.before)),
            el('td', {className: 'after'}, value(c.after)))));
}

async function diffFrom() {
    const from = $('#diff-from').value;
    const path = `/admin/api/versions/${selected}` + (from ? `/diff?from=${from}` : '');
    const answer = await api.get(path);
    renderDiff(from ? answer.changes : answer.diff);
}

async function rollback() {
    show($('#history-problem'), false);
    show($('#history-ok'), false);
    const target = selected;
    try {
        const saved = await api.change('POST', `/admin/api/versions/${target}/rollback`,
            {comment: `rollback to version ${target} from the dashboard`}, etag);
        selected = saved.number;
        document.dispatchEvent(new CustomEvent('config-changed'));
        await load();
        showOk($('#history-ok'), `Version ${saved.number} is live, with the configuration of version ${target}.`);
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#history-problem'), e.problem, load);
    }
}

export function init() {
    $('#rollback').addEventListener('click', rollback);
    $('#diff-from').addEventListener('change', diffFrom);
}
