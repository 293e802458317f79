// Rules & categories: the live version's categories with their rule (ordered chain), threshold, fallback and cache
// policy, and an editor that saves a whole new version, live (with If-Match: the version the edit started from) or as a draft.
import {$, el, fill, show, chain, showProblem, showOk} from './dom.js';
import * as api from './api.js';

let base = null;      // the live version the table shows: {version, config}
let baseEtag = null;  // its ETag, sent back in If-Match when saving
let editing = null;   // the category being edited: {id, description, threshold, fallback, chain}

export async function load() {
    const {body, etag} = await api.getTagged('/admin/api/config');
    base = body;
    baseEtag = etag;
    const config = body.config;
    fill($('#fallback-chain'), chain(config.fallbackChain));
    fill($('#default-threshold'), config.defaultThreshold ?? '–');
    fill($('#rules-table tbody'), config.categories.map(c => el('tr', {dataset: {category: c.id}},
        el('td', {}, el('strong', {}, c.id)),
        el('td', {className: 'description'}, c.description),
        el('td', {className: 'num'}, c.threshold ?? (c.chain ? el('span', {className: 'muted'}, 'default') : '')),
        el('td', {}, c.fallback ?? ''),
        el('td', {className: 'cache'}, c.cache ?? (c.chain ? el('span', {className: 'muted'}, 'default') : '')),
        el('td', {}, chain(c.chain)),
        el('td', {}, el('button', {type: 'button', className: 'edit', onclick: () => edit(c.id)}, 'Edit')))));
    if (editing) {
        fill($('#edit-base'), String(base.version));
    }
}

function edit(id) {
    const c = base.config.categories.find(x => x.id === id);
    editing = {...c, chain: c.chain ? [...c.chain] : null};
    fill($('#edit-category'), id);
    fill($('#edit-base'), String(base.version));
    $('#edit-description').value = c.description ?? '';
    $('#edit-threshold').value = c.threshold ?? '';
    $('#edit-cache').value = c.cache ?? '';
    $('#edit-comment').value = '';
    const experts = base.config.experts;
    fill($('#edit-fallback'), el('option', {value: ''}, '(none)'),
        experts.map(e => el('option', {value: e, selected: e === c.fallback}, e)));
    fill($('#add-expert'), experts.map(e => el('option', {value: e}, e)));
    renderChain();
    show($('#editor-problem'), false);
    show($('#editor-ok'), false);
    show($('#editor'));
    $('#editor').scrollIntoView({block: 'nearest'});
}

function renderChain() {
    const list = editing.chain ?? [];
    fill($('#chain-list'), list.length === 0
        ? el('li', {className: 'muted'}, editing.chain ? 'empty chain' : 'no rule: the fallback chain answers')
        : list.map((id, i) => el('li', {dataset: {expert: id}},
            el('span', {className: 'chip'}, id),
            el('button', {type: 'button', className: 'up', title: 'earlier', disabled: i === 0, onclick: () => move(i, -1)}, '↑'),
            el('button', {type: 'button', className: 'down', title: 'later', disabled: i === list.length - 1, onclick: () => move(i, 1)}, '↓'),
            el('button', {type: 'button', className: 'remove', title: 'remove', onclick: () => removeAt(i)}, '✕'))));
}

function move(i, by) {
    const [id] = editing.chain.splice(i, 1);
    editing.chain.splice(i + by, 0, id);
    renderChain();
}

function removeAt(i) {
    editing.chain.splice(i, 1);
    renderChain();
}

function addExpert() {
    editing.chain = editing.chain ?? [];
    editing.chain.push($('#add-expert').value);
    renderChain();
}

function removeRule() {
    editing.chain = null;
    $('#edit-threshold').value = '';
    $('#edit-fallback').value = '';
    $('#edit-cache').value = '';
    renderChain();
}

/** The live configuration with the edited category in place of the old one. */
function editedConfig() {
    const raw = $('#edit-threshold').value.trim();
    const threshold = raw === '' ? null : Number(raw);
    if (Number.isNaN(threshold)) {
        throw new api.Problem({status: 422, title: 'Invalid threshold', detail: '',
            errors: [{field: `categories[${editing.id}].threshold`, code: 'not_a_number', message: `'${raw}' is not a number`}]});
    }
    const category = {id: editing.id, description: $('#edit-description').value, threshold,
        fallback: $('#edit-fallback').value || null, cache: $('#edit-cache').value || null, chain: editing.chain};
    return {...base.config, categories: base.config.categories.map(c => c.id === editing.id ? category : c)};
}

async function save(draft) {
    show($('#editor-problem'), false);
    show($('#editor-ok'), false);
    try {
        const body = {config: editedConfig(), comment: $('#edit-comment').value, draft};
        const saved = draft ? await api.post('/admin/api/versions', body)
            : await api.change('POST', '/admin/api/versions', body, baseEtag);
        showOk($('#editor-ok'), draft
            ? `Saved as draft version ${saved.number}; try it in Explain, apply it from History.`
            : `Saved and applied: version ${saved.number} is live.`);
        document.dispatchEvent(new CustomEvent('config-changed'));
        if (!draft) {
            await load();
        }
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#editor-problem'), e.problem, async () => {
            // The form keeps the edit; only what it is based on moves to the new live version.
            await load();
            show($('#editor-problem'), false);
            showOk($('#editor-ok'), `Reloaded: version ${base.version} is live. Your edit is still in the form; `
                + 'save again to apply it on top of that version.');
        });
    }
}

export function init() {
    $('#add-expert-btn').addEventListener('click', addExpert);
    $('#remove-rule').addEventListener('click', removeRule);
    $('#editor').addEventListener('submit', event => {
        event.preventDefault();
        save(false);
    });
    $('#save-draft').addEventListener('click', () => save(true));
    $('#edit-cancel').addEventListener('click', () => {
        editing = null;
        show($('#editor'), false);
    });
}
