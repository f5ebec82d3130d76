// Metric series drawn with uPlot. On a run page: the objective's curve first and large, the series with a
// single value (constants a program prints: num_params, batch_size) in a table of scalars, and a chart for every
// other series; log scale and smoothing apply to every chart. On the compare page: each metric's curves of the
// compared runs overlaid on shared axes.
(function () {
	'use strict';

	const COLOURS = ['#3b5bdb', '#e8590c', '#2f9e44', '#9c36b5', '#c92a2a'];
	const WHOLE = [];
	for (let power = 1; power <= 1e9; power *= 10) {
		WHOLE.push(power, 2 * power, 5 * power);
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

	function format(value) {
		if (value == null) {
			return '—';
		}
		const magnitude = Math.abs(value);
		return magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-4) ? value.toExponential(4)
			: String(Number(value.toPrecision(6)));
	}

	/** A series is a scalar when it has one distinct value (a constant printed once or at every step). */
	function scalar(curve) {
		const values = curve.y.filter(v => v != null);
		return values.length <= 1 || values.every(v => v === values[0]);
	}

	/** Exponential moving average, debiased as TensorBoard does, so the start is not pulled toward zero. */
	function smooth(y, weight) {
		if (!weight) {
			return y;
		}
		let last = 0;
		let n = 0;
		return y.map(v => {
			if (v == null) {
				return null;
			}
			last = last * weight + (1 - weight) * v;
			n++;
			return last / (1 - Math.pow(weight, n));
		});
	}

	/** Log scale only where every value is positive: a log axis cannot show zero or less. */
	function loggable(columns) {
		return columns.every(y => y.every(v => v == null || v > 0));
	}

	function settings() {
		const log = document.getElementById('series-log');
		const smoothing = document.getElementById('series-smoothing');
		return { log: Boolean(log && log.checked), smoothing: smoothing ? Number(smoothing.value) : 0 };
	}

	/** One chart: x, and one y column per label, in a new box under {@code parent}. */
	function chart(parent, title, metric, x, columns, labels, options) {
		const box = document.createElement('div');
		box.className = 'curve';
		box.dataset.metric = metric;
		parent.append(box);
		const log = options.log && loggable(columns);
		box.dataset.scale = log ? 'log' : 'linear';
		const series = [{ label: options.steps ? 'step' : 'report' }];
		columns.forEach((y, i) => series.push({ label: labels[i], stroke: COLOURS[i % COLOURS.length], width: 2,
			spanGaps: columns.length > 1, points: { show: x.length < 60 } }));
		return new uPlot({
			title: title,
			width: options.width,
			height: options.height,
			scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
			series: series,
			axes: [{ label: options.steps ? 'step' : 'report', incrs: WHOLE }, { size: 70 }]
		}, [x, ...columns.map(y => smooth(y, options.smoothing))], box);
	}

	function destroy(el) {
		(el.plots || []).forEach(plot => plot.destroy());
		el.plots = [];
	}

	function drawRun(el, list) {
		destroy(el);
		const big = document.getElementById('series-objective');
		const charts = document.getElementById('series-charts');
		const scalars = document.getElementById('series-scalars');
		big.innerHTML = '';
		charts.innerHTML = '';
		if (!list.length) {
			message(charts, 'No metric reported yet.');
			return;
		}
		const options = settings();
		const full = Math.max(320, el.clientWidth - 8);
		const constants = list.filter(scalar);
		const curves = list.filter(curve => !scalar(curve));
		const objective = curves.find(curve => curve.name === el.dataset.metric);
		if (objective) {
			el.plots.push(chart(big, objective.name + ' (objective)', objective.name, objective.x, [objective.y],
				[objective.name], Object.assign({ width: full, height: 360, steps: objective.steps }, options)));
		}
		const rest = curves.filter(curve => curve !== objective);
		rest.forEach(curve => el.plots.push(chart(charts, curve.name, curve.name, curve.x, [curve.y], [curve.name],
			Object.assign({ width: Math.max(320, Math.floor(full / Math.min(2, rest.length)) - 12), height: 220,
				steps: curve.steps }, options))));
		const body = scalars.querySelector('tbody');
		body.innerHTML = '';
		constants.forEach(curve => {
			const row = document.createElement('tr');
			row.dataset.scalar = curve.name;
			const name = document.createElement('th');
			const code = document.createElement('code');
			code.textContent = curve.name;
			name.append(code);
			const value = document.createElement('td');
			const constant = curve.y.find(v => v != null);
			// A count such as num_params reads in full: 1234567, not 1.2346e+6.
			value.textContent = Number.isInteger(constant) && Math.abs(constant) < 1e15 ? String(constant) : format(constant);
			row.append(name, value);
			body.append(row);
		});
		scalars.hidden = !constants.length;
		el.dataset.drawn = 'true';
	}

	/** A running run's series are fetched again every few seconds, once more after its log has ended. */
	function run(el) {
		let latest = [];
		const load = () => fetchJson(el.dataset.url).then(list => {
			latest = list;
			drawRun(el, list);
		}).catch(error => message(document.getElementById('series-charts'), 'The series could not be loaded: ' + error.message));
		load();
		['series-log', 'series-smoothing'].forEach(id => {
			const control = document.getElementById(id);
			if (control) {
				control.addEventListener('input', () => drawRun(el, latest));
			}
		});
		if (el.dataset.live === 'true') {
			const timer = setInterval(() => {
				const log = document.getElementById('log');
				if (log && log.dataset.complete === 'true') {
					clearInterval(timer);
				}
				load();
			}, 5000);
		}
	}

	/** Each metric's curves of the compared runs on one chart: x is the union of their steps. */
	function drawCompare(el, runs, lists) {
		destroy(el);
		el.innerHTML = '';
		const names = [];
		lists.forEach(list => list.forEach(curve => {
			if (!names.includes(curve.name)) {
				names.push(curve.name);
			}
		}));
		const options = settings();
		const full = Math.max(320, el.clientWidth - 8);
		let drawn = 0;
		names.forEach(name => {
			const curves = lists.map(list => list.find(curve => curve.name === name) || null);
			if (curves.every(curve => curve == null || scalar(curve))) {
				return;
			}
			const x = Array.from(new Set(curves.flatMap(curve => curve ? curve.x : []))).sort((a, b) => a - b);
			const at = new Map(x.map((step, i) => [step, i]));
			const columns = curves.map(curve => {
				const y = new Array(x.length).fill(null);
				if (curve) {
					curve.x.forEach((step, i) => { y[at.get(step)] = curve.y[i]; });
				}
				return y;
			});
			el.plots.push(chart(el, name, name, x, columns, runs.map(id => '#' + id),
				Object.assign({ width: full, height: 260, steps: curves.every(c => c == null || c.steps) }, options)));
			drawn++;
		});
		if (!drawn) {
			message(el, 'The compared runs reported no metric with more than one value.');
		}
		el.dataset.drawn = 'true';
	}

	function compare(el) {
		const runs = el.dataset.runs.split(',');
		let lists = [];
		Promise.all(runs.map(id => fetchJson('/runs/' + id + '/curves'))).then(all => {
			lists = all;
			drawCompare(el, runs, lists);
		}).catch(error => message(el, 'The curves could not be loaded: ' + error.message));
		['series-log', 'series-smoothing'].forEach(id => {
			const control = document.getElementById(id);
			if (control) {
				control.addEventListener('input', () => drawCompare(el, runs, lists));
			}
		});
	}

	if (!window.uPlot) {
		return;
	}
	const series = document.getElementById('series');
	if (series) {
		run(series);
	}
	const overlay = document.getElementById('compare-series');
	if (overlay) {
		compare(overlay);
	}
})();
