// The YAML editor: line numbers beside the text, the lines with broken rules marked, a click on an error
// selecting its line, and Tab indenting by two spaces (Escape leaves the editor, so the keyboard never traps).
(function () {
	'use strict';

	function setUp(box) {
		const text = box.querySelector('textarea');
		const gutter = box.querySelector('.gutter');
		const bad = new Set((text.dataset.errorLines || '').split(',').filter(Boolean).map(Number));
		// Each marked line number carries its broken rules as a tooltip.
		const why = new Map();
		document.querySelectorAll('.spec-errors li[data-line]').forEach(item => {
			const line = Number(item.dataset.line);
			why.set(line, (why.has(line) ? why.get(line) + '\n' : '') + item.textContent.replace(/\s+/g, ' ').trim());
		});
		const escape = s => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

		function number() {
			const count = text.value.split('\n').length;
			const lines = [];
			for (let i = 1; i <= count; i++) {
				lines.push(bad.has(i) ? '<span class="bad" title="' + escape(why.get(i) || '') + '">' + i + '</span>' : String(i));
			}
			gutter.innerHTML = lines.join('\n') + '\n';
			gutter.scrollTop = text.scrollTop;
		}

		function selectLine(line) {
			const lines = text.value.split('\n');
			let start = 0;
			for (let i = 0; i < line - 1 && i < lines.length; i++) {
				start += lines[i].length + 1;
			}
			text.focus();
			text.setSelectionRange(start, start + (lines[line - 1] || '').length);
			const height = text.scrollHeight / Math.max(1, lines.length);
			text.scrollTop = Math.max(0, (line - 3) * height);
			gutter.scrollTop = text.scrollTop;
		}

		text.addEventListener('input', number);
		text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
		text.addEventListener('keydown', event => {
			if (event.key === 'Tab' && !event.shiftKey && !text.dataset.tabOut) {
				event.preventDefault();
				text.setRangeText('  ', text.selectionStart, text.selectionEnd, 'end');
				number();
			}
			else if (event.key === 'Escape') {
				text.dataset.tabOut = 'true';
				text.blur();
			}
		});
		text.addEventListener('focus', () => { delete text.dataset.tabOut; });
		document.querySelectorAll('.spec-errors li[data-line] a.at').forEach(link => {
			link.addEventListener('click', event => {
				event.preventDefault();
				selectLine(Number(link.parentElement.dataset.line));
			});
		});
		number();
	}

	document.querySelectorAll('[data-spec-editor]').forEach(setUp);
})();
