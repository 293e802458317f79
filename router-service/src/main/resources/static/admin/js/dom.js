// DOM helpers. Every piece of data reaches the page as a text node or a property, never as HTML: the server's data
// (category descriptions, comments, prompts) is user-supplied and must stay inert.

/** Creates an element; `props` are set as properties (className, id, type, value, disabled, onclick, dataset...). */
export function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
        if (key === 'dataset' || key === 'style') {
            Object.assign(node[key], value);
        } else if (key.startsWith('on')) {
            node.addEventListener(key.substring(2), value);
        } else if (value !== undefined && value !== null) {
            node[key] = value;
        }
    }
    append(node, children);
    return node;
}

function append(node, children) {
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

export function $(selector) {
    return document.querySelector(selector);
}

/** Replaces the node's children. */
export function fill(node, ...children) {
    node.replaceChildren();
    append(node, children);
    return node;
}

export function show(node, visible = true) {
    node.hidden = !visible;
    return node;
}

/** An expert chain as a row of chips. */
export function chain(ids) {
    if (ids === null || ids === undefined) {
        return el('span', {className: 'muted'}, 'no rule');
    }
    return el('span', {className: 'chain'}, ids.map(id => el('span', {className: 'chip'}, id)));
}

export function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : '';
}

export function dateTime(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
}

export function percent(rate) {
    return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0) + ' %';
}

export function millis(ms) {
    return ms === null || ms === undefined ? '–' : ms < 10 ? ms.toFixed(1) : Math.round(ms).toString();
}

/**
 * Shows an RFC 9457 problem detail in `box`: title and detail, each field error of a 422, and for a 409 a button that
 * reloads what the edit was based on.
 */
export function showProblem(box, problem, onReload) {
    const children = [el('strong', {}, `${problem.status ?? ''} ${problem.title ?? 'Error'}`), ' ', problem.detail ?? ''];
    if (Array.isArray(problem.errors) && problem.errors.length) {
        children.push(el('ul', {className: 'field-errors'}, problem.errors.map(e =>
            el('li', {dataset: {code: e.code ?? '', field: e.field ?? ''}},
                el('code', {}, e.field ?? ''), ': ', e.message ?? '', ' ', el('span', {className: 'muted'}, `(${e.code})`)))));
    }
    if (problem.status === 409) {
        children.push(el('p', {},
            `Nothing was saved: the live configuration changed to version ${problem.liveVersion ?? '?'} since you loaded it. `,
            onReload ? el('button', {type: 'button', className: 'reload', onclick: onReload}, 'Reload the live version') : ''));
    }
    fill(box, children);
    show(box);
}

export function showOk(box, text) {
    fill(box, text);
    show(box);
}
