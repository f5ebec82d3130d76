// The experiment page's chart, drawn with uPlot: the objective of every run with the best so far (a run's
// metric curves are series.js's).
(function () {
	'use strict';

	const BLUE = '#3b5bdb';
	const GREEN = '#2f9e44';
	const PURPLE = '#9c36b5';
	// Tick steps for axes that count things (runs, steps): never 1.5 of a run.
	const WHOLE = [];
	for (let power = 1; power <= 1e9; power *= 10) {
		WHOLE.push(power, 2 * power, 5 * power);
	}

	function width(el) {
		return Math.max(320, el.clientWidth - 8);
	}

	function fetchJson(url) {
		return fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(response => {
			if (!response.ok) {
				throw new Error(response.status + ' ' + response.statusText);
			}
			return response.json();
		});
	}

	function message(el, text) {
		el.innerHTML = '';
		const p = document.createElement('p');
		p.className = 'muted';
		p.textContent = text;
		el.append(p);
	}

	function resizing(plot, el) {
		window.addEventListener('resize', () => plot.setSize({ width: width(el), height: plot.height }));
	}

	function objective(el) {
		fetchJson(el.dataset.url).then(series => {
			if (!series.runs.length) {
				message(el, 'No successful or pruned run yet.');
				return;
			}
			el.innerHTML = '';
			// x counts the successful and pruned runs in order; run ids have gaps where other experiments ran.
			const offset = series.total - series.runs.length;
			const x = series.runs.map((id, i) => offset + i + 1);
			const plot = new uPlot({
				width: width(el),
				height: 300,
				scales: { x: { time: false } },
				series: [
					{ label: 'run', value: (u, v, s, i) => i == null ? '—' : '#' + series.runs[i] },
					{ label: series.metric, stroke: BLUE, paths: () => null,
						points: { show: true, space: 0, size: series.runs.length > 2000 ? 2 : 6, fill: BLUE } },
					{ label: 'pruned (where stopped)', stroke: PURPLE, paths: () => null,
						points: { show: true, space: 0, size: series.runs.length > 2000 ? 3 : 7, fill: '#fff', width: 2 } },
					{ label: 'best so far', stroke: GREEN, width: 2, paths: uPlot.paths.stepped({ align: 1 }) }
				],
				axes: [{ label: 'successful and pruned runs, in order', incrs: WHOLE },
					{ label: series.metric + ' (' + series.goal + ')', size: 70 }]
			}, [x, series.values, series.pruned, series.best], el);
			plot.over.addEventListener('click', () => {
				const index = plot.cursor.idx;
				if (index != null) {
					window.location.href = '/runs/' + series.runs[index];
				}
			});
			plot.over.style.cursor = 'pointer';
			if (series.total > series.runs.length) {
				const note = document.createElement('p');
				note.className = 'muted';
				note.textContent = 'The latest ' + series.runs.length + ' of ' + series.total + ' successful and pruned runs.';
				el.append(note);
			}
			resizing(plot, el);
			el.dataset.drawn = 'true';
		}).catch(error => message(el, 'The chart could not be loaded: ' + error.message));
	}

	const chart = document.getElementById('objective-chart');
	if (chart && window.uPlot) {
		objective(chart);
	}
})();
