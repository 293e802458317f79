// The admin API from the page: JSON in and out, the session's CSRF token on every mutating call, the live version's
// ETag remembered and sent back in If-Match, and errors thrown as the server's problem details.

let csrf = null;
let etag = null;
const etagListeners = [];

export class Problem extends Error {
    constructor(problem) {
        super(problem.detail || problem.title || 'request failed');
        this.problem = problem;
    }
}

export async function session() {
    const s = await call('GET', '/admin/api/session');
    csrf = s.csrf;
    return s;
}

/** The live version's ETag as last seen, e.g. `"7"`. */
export function liveEtag() {
    return etag;
}

export function onEtag(listener) {
    etagListeners.push(listener);
}

export function get(path) {
    return call('GET', path);
}

/**
 * A change of the live configuration, based on the version whose ETag is `ifMatch` (the one the view showed when the
 * edit began, never a later one: a stale edit must get its 409).
 */
export function change(method, path, body, ifMatch) {
    return call(method, path, body, ifMatch);
}

/** GET returning the body and the ETag that came with it. */
export async function getTagged(path) {
    let tag = null;
    const body = await call('GET', path, undefined, null, false, t => tag = t);
    return {body, etag: tag};
}

export function post(path, body) {
    return call('POST', path, body);
}

async function call(method, path, body, ifMatch = null, retried = false, onTag = null) {
    const headers = {'Accept': 'application/json'};
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    if (method !== 'GET' && csrf) {
        headers[csrf.headerName] = csrf.token;
    }
    if (ifMatch) {
        headers['If-Match'] = ifMatch;
    }
    const response = await fetch(path, {method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body)});
    if (response.status === 401) {
        // The session ended: log in again, then come back here.
        window.location.assign('/login');
        throw new Problem({status: 401, title: 'Unauthorized', detail: 'the session has ended; log in again'});
    }
    if (response.status === 403 && !retried && method !== 'GET') {
        // A stale CSRF token (a new login in another tab): fetch the session's token and try once more.
        await session();
        return call(method, path, body, ifMatch, true, onTag);
    }
    const tag = response.headers.get('ETag');
    if (tag && response.ok) {
        setEtag(tag);
        if (onTag) {
            onTag(tag);
        }
    }
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
        if (response.status === 409 && data && data.liveVersion) {
            setEtag(`"${data.liveVersion}"`);
        }
        throw new Problem(typeof data === 'object' ? data : {status: response.status, title: response.statusText, detail: data});
    }
    return data;
}

function setEtag(tag) {
    if (tag !== etag) {
        etag = tag;
        etagListeners.forEach(l => l(tag));
    }
}

/** Logs out through Spring Security's POST /logout, with the CSRF token as a form field. */
export function logout() {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/logout';
    const token = document.createElement('input');
    token.type = 'hidden';
    token.name = '_csrf';
    token.value = csrf ? csrf.token : '';
    form.append(token);
    document.body.append(form);
    form.submit();
}
