// The run page's live log: server-sent events from /runs/{id}/log/stream, appended as they come.
(function () {
	'use strict';

	const pre = document.getElementById('log');
	if (!pre || !window.EventSource) {
		return;
	}
	const state = document.getElementById('log-state');
	const say = text => { if (state) { state.textContent = text; } };
	// Keeps the browser's memory bounded on a chatty run: the oldest pieces go first.
	const MAX_PIECES = 4000;
	let follow = true;
	pre.addEventListener('scroll', () => {
		follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 16;
	});

	const source = new EventSource(pre.dataset.stream);
	source.addEventListener('log', event => {
		const data = JSON.parse(event.data);
		if (data.skipped) {
			const note = document.createElement('span');
			note.className = 'muted';
			note.textContent = '… ' + Math.ceil(data.skipped / 1024) + ' KiB before this; open the whole log for them\n';
			pre.append(note);
		}
		pre.append(document.createTextNode(data.text.replace(/\r(?!\n)/g, '\n')));
		while (pre.childNodes.length > MAX_PIECES) {
			pre.removeChild(pre.firstChild);
		}
		if (follow) {
			pre.scrollTop = pre.scrollHeight;
		}
	});
	source.addEventListener('end', () => {
		source.close();
		if (!pre.textContent) {
			pre.textContent = '(no output)';
		}
		pre.dataset.complete = 'true';
		say('complete');
		// The run ended while the page was open: show its outcome without a reload.
		if (pre.dataset.finished !== 'true' && window.htmx) {
			['#outcome', '#run-status'].forEach(part => htmx.ajax('GET', window.location.pathname,
				{ target: part, select: part, swap: 'outerHTML' }));
		}
	});
	source.addEventListener('busy', () => {
		source.close();
		say('too many viewers right now; reload later');
	});
	source.addEventListener('open', () => say(pre.dataset.complete ? 'complete' : 'live'));
	source.onerror = () => {
		if (source.readyState !== EventSource.CLOSED) {
			say('reconnecting…');
		}
	};
})();
