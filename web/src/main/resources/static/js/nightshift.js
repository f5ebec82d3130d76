// Nightshift's page scripts: times in the reader's time zone, the time zone for forms, keyboard shortcuts.
(function () {
	'use strict';

	const pad = n => String(n).padStart(2, '0');

	/** <time datetime="ISO"> shows the instant in the browser's zone: today as 06:12:09, else 2025-03-02 06:12. */
	function localTime(el) {
		const date = new Date(el.getAttribute('datetime'));
		if (isNaN(date.getTime())) {
			return;
		}
		const today = date.toDateString() === new Date().toDateString();
		const clock = pad(date.getHours()) + ':' + pad(date.getMinutes());
		el.textContent = today ? clock + ':' + pad(date.getSeconds())
			: date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + ' ' + clock;
		el.title = date.toString();
		el.dataset.local = 'true';
	}

	function init(root) {
		root.querySelectorAll('time[datetime]').forEach(localTime);
		const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
		root.querySelectorAll('input[data-time-zone]').forEach(input => { input.value = zone; });
		root.querySelectorAll('[data-queue] [data-decision]').forEach(item => {
			item.addEventListener('click', () => select(item));
		});
	}

	// The queue on the experiment page, or the one decision on a proposal page.
	function items() {
		return Array.from(document.querySelectorAll('[data-queue] [data-decision]'));
	}

	function current() {
		const all = document.querySelectorAll('[data-decision]');
		return document.querySelector('[data-decision].selected') || (all.length === 1 ? all[0] : null);
	}

	function select(item) {
		items().forEach(other => other.classList.toggle('selected', other === item));
		item.scrollIntoView({ block: 'nearest' });
	}

	/** j/k: the next or previous proposal of the queue; on a proposal page, the next or previous page. */
	function move(step) {
		const list = items();
		if (list.length) {
			const at = list.indexOf(current());
			select(list[Math.max(0, Math.min(list.length - 1, at + step))]);
			return true;
		}
		const main = document.querySelector('main');
		const href = main && main.dataset[step > 0 ? 'next' : 'prev'];
		if (href) {
			window.location.href = href;
		}
		return Boolean(href);
	}

	// A ticked checkbox (the runs table's compare boxes) or a slider keeps focus but takes no letters.
	function typing(target) {
		if (target.tagName === 'INPUT' && /^(checkbox|radio|range|button|submit)$/.test(target.type)) {
			return false;
		}
		return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
	}

	function act(key) {
		const item = current();
		switch (key) {
			case 'j':
				return move(1);
			case 'k':
				return move(-1);
			case 'a': {
				const approve = item && item.querySelector('[data-action=approve]');
				if (approve) {
					approve.click();
				}
				return Boolean(approve);
			}
			case 'v': {
				const reason = item && item.querySelector('[data-action=veto-reason]');
				if (reason) {
					reason.focus();
				}
				return Boolean(reason);
			}
			case 'o': {
				if (item && item.dataset.href) {
					window.location.href = item.dataset.href;
				}
				return Boolean(item && item.dataset.href);
			}
			default:
				return false;
		}
	}

	document.addEventListener('keydown', event => {
		if (event.ctrlKey || event.metaKey || event.altKey) {
			return;
		}
		if (typing(event.target)) {
			if (event.key === 'Escape') {
				event.target.blur();
			}
			return;
		}
		if (act(event.key)) {
			event.preventDefault();
		}
	});

	document.addEventListener('DOMContentLoaded', () => init(document));
	document.addEventListener('htmx:load', event => init(event.target));
})();
