// The dashboard's entry point: the session (user and CSRF token), the sections, and navigation by URL hash.
import {$, fill, show, showProblem} from './dom.js';
import * as api from './api.js';
import * as live from './live.js';
import * as rules from './rules.js';
import * as experts from './experts.js';
import * as history from './history.js';
import * as explain from './explain.js';
import * as keys from './keys.js';

const SECTIONS = {live, rules, experts, history, explain, keys};

async function open(name) {
    if (!SECTIONS[name]) {
        name = 'live';
    }
    for (const section of document.querySelectorAll('main > section')) {
        show(section, section.dataset.section === name);
    }
    document.querySelectorAll('nav button').forEach(b => b.classList.toggle('active', b.dataset.tab === name));
    show($('#banner'), false);
    try {
        if (name === 'live') {
            live.start();
        } else {
            live.stop();
            await SECTIONS[name].load();
        }
    } catch (e) {
        if (!(e instanceof api.Problem)) {
            throw e;
        }
        showProblem($('#banner'), e.problem);
    }
}

async function main() {
    const session = await api.session();
    fill($('#user'), session.username);
    api.onEtag(tag => fill($('#live-version'), `live version ${tag.replaceAll('"', '')}`));
    rules.init();
    history.init();
    explain.init();
    keys.init();
    $('#logout').addEventListener('click', api.logout);
    document.querySelectorAll('nav button').forEach(b => b.addEventListener('click', () => {
        window.location.hash = b.dataset.tab;
    }));
    window.addEventListener('hashchange', () => open(window.location.hash.substring(1)));
    // A change made in one section shows in the others the next time they are opened; the history and the explain
    // box's list of versions are refreshed at once, since they are what one looks at right after saving.
    document.addEventListener('config-changed', () => {
        history.load().catch(console.error);
        explain.load().catch(console.error);
    });
    await api.getTagged('/admin/api/config');
    await open(window.location.hash.substring(1));
    document.body.dataset.ready = 'true';
}

main().catch(e => {
    if (e instanceof api.Problem) {
        showProblem($('#banner'), e.problem);
    } else {
        console.error(e);
    }
});
