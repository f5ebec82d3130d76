// The experiment page's parallel coordinates, drawn as plain SVG: one axis per parameter (a choice is a
// categorical axis) and one for the objective, one line per run of the server's sample. Dragging along an
// axis selects a range; the lines outside every selected range are dimmed and the rows of the runs table
// outside them are hidden (each row carries its parameters and objective). A click on an axis clears its range.
(function () {
	'use strict';

	const SVG = 'http://www.w3.org/2000/svg';
	const HEIGHT = 320;
	const TOP = 36;
	const BOTTOM = 24;
	const brushes = new Map();
	let state = null;

	function node(name, attributes, parent) {
		const el = document.createElementNS(SVG, name);
		Object.entries(attributes).forEach(([key, value]) => el.setAttribute(key, value));
		if (parent) {
			parent.append(el);
		}
		return el;
	}

	function format(value) {
		const magnitude = Math.abs(value);
		return magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-3) ? value.toExponential(1)
			: String(Number(value.toPrecision(3)));
	}

	/** Maps an axis's values to [0, 1] (0 at the bottom); null for a value the axis cannot place. */
	function scale(axis, lines, index) {
		if (axis.kind === 'choice') {
			const values = axis.values.slice();
			lines.forEach(line => {
				const v = line.values[index];
				if (v != null && !values.includes(v)) {
					values.push(v);
				}
			});
			axis.categories = values;
			return v => v == null ? null : values.length < 2 ? 0.5 : values.indexOf(v) / (values.length - 1);
		}
		const log = axis.kind === 'log';
		const seen = lines.map(line => line.values[index]).filter(v => v != null && (!log || v > 0));
		let min = Math.min(...seen, axis.min == null ? Infinity : axis.min);
		let max = Math.max(...seen, axis.max == null ? -Infinity : axis.max);
		if (!isFinite(min) || !isFinite(max)) {
			min = 0;
			max = 1;
		}
		const t = v => log ? Math.log10(v) : v;
		axis.low = min;
		axis.high = max;
		return v => v == null || (log && v <= 0) ? null : t(max) === t(min) ? 0.5 : (t(v) - t(min)) / (t(max) - t(min));
	}

	function y(fraction) {
		return TOP + (1 - fraction) * (HEIGHT - TOP - BOTTOM);
	}

	function draw(el, data) {
		el.innerHTML = '';
		const width = Math.max(480, el.clientWidth);
		const svg = node('svg', { viewBox: '0 0 ' + width + ' ' + HEIGHT, height: HEIGHT, role: 'img',
			'aria-label': 'parallel coordinates' }, el);
		const step = (width - 190) / Math.max(1, data.axes.length - 1);
		const xs = data.axes.map((axis, i) => 70 + i * step);
		const scales = data.axes.map((axis, i) => scale(axis, data.lines, i));
		const group = node('g', {}, svg);
		const paths = data.lines.map(line => {
			const points = [];
			line.values.forEach((v, i) => {
				const f = scales[i](v);
				if (f != null) {
					points.push(xs[i].toFixed(1) + ',' + y(f).toFixed(1));
				}
			});
			const path = node('polyline', { points: points.join(' '), class: 'line' + (line.best ? ' best' : '') }, group);
			path.dataset.run = line.run;
			return path;
		});
		data.axes.forEach((axis, i) => {
			const g = node('g', { class: 'axis', 'data-axis': axis.name }, svg);
			node('line', { x1: xs[i], x2: xs[i], y1: TOP, y2: HEIGHT - BOTTOM }, g);
			const label = node('text', { x: xs[i], y: 14, 'text-anchor': 'middle', class: 'name' }, g);
			label.textContent = axis.name + (i === data.axes.length - 1 ? ' (' + data.goal + ')' : axis.kind === 'log' ? ' (log)' : '');
			const ticks = axis.kind === 'choice' ? axis.categories.map(c => [scales[i](c), c])
				: [[0, format(axis.low)], [1, format(axis.high)]];
			ticks.forEach(([f, text]) => {
				const tick = node('text', { x: xs[i] + 5, y: y(f) + 4 }, g);
				tick.textContent = text;
			});
			const hit = node('rect', { x: xs[i] - 12, y: TOP - 4, width: 24, height: HEIGHT - TOP - BOTTOM + 8, class: 'hit' }, g);
			const band = node('rect', { x: xs[i] - 8, width: 16, y: 0, height: 0, class: 'brush' }, g);
			band.style.display = 'none';
			brushable(svg, hit, band, axis, i, width);
		});
		state = { el: el, data: data, scales: scales, paths: paths };
		apply();
	}

	function brushable(svg, hit, band, axis, index, width) {
		const toY = event => {
			const box = svg.getBoundingClientRect();
			return Math.max(TOP, Math.min(HEIGHT - BOTTOM, (event.clientY - box.top) * HEIGHT / box.height));
		};
		let start = null;
		hit.addEventListener('pointerdown', event => {
			start = toY(event);
			hit.setPointerCapture(event.pointerId);
			event.preventDefault();
		});
		hit.addEventListener('pointermove', event => {
			if (start == null) {
				return;
			}
			const now = toY(event);
			band.setAttribute('y', Math.min(start, now));
			band.setAttribute('height', Math.abs(now - start));
			band.style.display = '';
		});
		hit.addEventListener('pointerup', event => {
			if (start == null) {
				return;
			}
			const end = toY(event);
			const [top, bottom] = [Math.min(start, end), Math.max(start, end)];
			start = null;
			if (bottom - top < 3) {
				brushes.delete(index);
				band.style.display = 'none';
			}
			else {
				// As fractions of the axis, 0 at the bottom.
				const f = py => 1 - (py - TOP) / (HEIGHT - TOP - BOTTOM);
				brushes.set(index, [f(bottom), f(top)]);
			}
			apply();
		});
	}

	function inside(values) {
		for (const [index, [low, high]] of brushes) {
			const f = state.scales[index](values[index]);
			if (f == null || f < low - 1e-9 || f > high + 1e-9) {
				return false;
			}
		}
		return true;
	}

	/** The values of a runs-table row in the order of the axes, from its data attributes. */
	function rowValues(row) {
		let params = {};
		try {
			params = JSON.parse(row.dataset.params || '{}');
		}
		catch (unreadable) {
			params = {};
		}
		return state.data.axes.map((axis, i) => {
			if (i === state.data.axes.length - 1) {
				return row.dataset.objective ? Number(row.dataset.objective) : null;
			}
			const v = params[axis.name];
			return v == null ? null : axis.kind === 'choice' ? String(v) : Number(v);
		});
	}

	/** Dims the lines and hides the table rows outside the selected ranges; says how many are left. */
	function apply() {
		if (!state) {
			return;
		}
		let kept = 0;
		state.paths.forEach((path, i) => {
			const keep = inside(state.data.lines[i].values);
			path.classList.toggle('dim', !keep);
			kept += keep ? 1 : 0;
		});
		const rows = Array.from(document.querySelectorAll('#runs tbody tr[data-run]'));
		let shown = 0;
		rows.forEach(row => {
			const keep = !brushes.size || inside(rowValues(row));
			row.classList.toggle('brushed-out', !keep);
			shown += keep ? 1 : 0;
		});
		const bar = document.getElementById('parallel-brush');
		bar.hidden = !brushes.size;
		document.getElementById('parallel-brush-text').textContent = kept + ' of ' + state.paths.length
			+ ' lines and ' + shown + ' of ' + rows.length + ' rows of this table page are in the selected ranges.';
		state.el.dataset.selected = String(kept);
		state.el.dataset.rowsShown = String(shown);
	}

	function clear() {
		brushes.clear();
		if (state) {
			state.el.querySelectorAll('.brush').forEach(band => { band.style.display = 'none'; });
		}
		apply();
	}

	function load(el) {
		fetch(el.dataset.url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
			.then(response => {
				if (!response.ok) {
					throw new Error(response.status + ' ' + response.statusText);
				}
				return response.json();
			})
			.then(data => {
				const note = document.getElementById('parallel-note');
				if (!data.lines.length) {
					el.innerHTML = '<p class="muted">No successful run yet.</p>';
					return;
				}
				draw(el, data);
				note.textContent = data.sampled ? 'Drawn: the ' + Math.min(200, data.lines.length) + ' best runs and an even sample of the others, '
					+ data.lines.length + ' of ' + data.total + ' successful runs; the best are green.'
					: 'Every successful run (' + data.total + '); the 200 best are green.';
				el.dataset.drawn = 'true';
			})
			.catch(error => {
				el.innerHTML = '';
				const p = document.createElement('p');
				p.className = 'muted';
				p.textContent = 'The chart could not be loaded: ' + error.message;
				el.append(p);
			});
	}

	const el = document.getElementById('parallel-chart');
	if (el) {
		load(el);
		document.getElementById('parallel-clear').addEventListener('click', clear);
		// The runs table is swapped by htmx when it is sorted, filtered or paged: the selection applies again.
		document.body.addEventListener('htmx:afterSwap', apply);
	}
	const form = document.getElementById('compare-form');
	if (form) {
		document.body.addEventListener('change', event => {
			if (event.target.matches && event.target.matches('input[name=runs][form=compare-form]')) {
				const picked = document.querySelectorAll('input[name=runs][form=compare-form]:checked').length;
				const hint = document.getElementById('compare-hint');
				if (hint) {
					hint.textContent = picked + ' picked · tick two to five runs to compare them side by side.';
				}
			}
		});
	}
})();
