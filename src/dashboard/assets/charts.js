// Small canvas charts for the dashboard: waveforms, phasors, bars, a line. Hand-written (no chart
// library): five fixed chart kinds, a phasor diagram no line-chart library draws, and no asset to
// vendor or build; each draw is a few hundred canvas calls per update.
export const PHASE_COLOURS = ['#b5651d', '#222222', '#7a7a7a'];

/** A canvas sized to its CSS box at the device pixel ratio; returns its 2D context and size. */
export function prepare(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 400;
  const height = canvas.clientHeight || 220;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  return { g, width, height };
}

function axes(g, width, height, label) {
  g.strokeStyle = '#d9d9de';
  g.beginPath();
  g.moveTo(0, height / 2);
  g.lineTo(width, height / 2);
  g.stroke();
  g.fillStyle = '#6b6b70';
  g.fillText(label, 4, 12);
}

/**
 * Two cycles of u (top half) and i (bottom half) per phase, synthesised from the window's
 * spectrum: x(t) = sum over h of sqrt(2) * X_h * cos(h * w * t + phi_h), h = 1..31.
 */
export function drawWaveforms(canvas, phases) {
  const { g, width, height } = prepare(canvas);
  const half = height / 2;
  const points = 240;
  const series = (mags, angles) => {
    const out = new Float64Array(points);
    for (let k = 0; k < points; k++) {
      const theta = (4 * Math.PI * k) / (points - 1);
      let x = 0;
      for (let h = 1; h < mags.length; h++) if (mags[h] > 0) x += Math.SQRT2 * mags[h] * Math.cos(h * theta + angles[h]);
      out[k] = x;
    }
    return out;
  };
  const u = phases.map((p) => series(p.vh, p.vph));
  const i = phases.map((p) => series(p.ih, p.iph));
  const peak = (list) => Math.max(1e-9, ...list.map((s) => Math.max(...s.map(Math.abs))));
  const plot = (list, top, scale) => {
    list.forEach((s, n) => {
      g.strokeStyle = PHASE_COLOURS[n];
      g.beginPath();
      for (let k = 0; k < points; k++) {
        const x = (k / (points - 1)) * width;
        const y = top + half / 2 - (s[k] / scale) * (half / 2 - 6);
        if (k === 0) g.moveTo(x, y);
        else g.lineTo(x, y);
      }
      g.stroke();
    });
  };
  const uPeak = peak(u);
  const iPeak = peak(i);
  plot(u, 0, uPeak);
  plot(i, half, iPeak);
  g.fillStyle = '#6b6b70';
  g.fillText(`u (peak ${uPeak.toFixed(0)} V)`, 4, 12);
  g.fillText(`i (peak ${iPeak.toFixed(1)} A)`, 4, half + 12);
  g.strokeStyle = '#d9d9de';
  g.beginPath();
  g.moveTo(0, half);
  g.lineTo(width, half);
  g.stroke();
}

/** Fundamental phasors: voltages (solid, to the full radius) and currents (dashed, scaled to the largest). */
export function drawPhasors(canvas, phases) {
  const { g, width, height } = prepare(canvas);
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) / 2 - 16;
  g.strokeStyle = '#d9d9de';
  g.beginPath();
  g.arc(cx, cy, radius, 0, 2 * Math.PI);
  g.moveTo(cx - radius, cy);
  g.lineTo(cx + radius, cy);
  g.moveTo(cx, cy - radius);
  g.lineTo(cx, cy + radius);
  g.stroke();
  const vMax = Math.max(1e-9, ...phases.map((p) => p.vh[1]));
  const iMax = Math.max(1e-9, ...phases.map((p) => p.ih[1]));
  const arrow = (magnitude, angle, colour, dashed) => {
    const x = cx + magnitude * Math.cos(angle);
    const y = cy - magnitude * Math.sin(angle);
    g.strokeStyle = colour;
    g.setLineDash(dashed ? [5, 4] : []);
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(cx, cy);
    g.lineTo(x, y);
    g.stroke();
    g.setLineDash([]);
    g.lineWidth = 1;
    return [x, y];
  };
  const reference = phases[0].vph[1];
  phases.forEach((p, n) => {
    const [x, y] = arrow((p.vh[1] / vMax) * radius, p.vph[1] - reference, PHASE_COLOURS[n], false);
    g.fillStyle = PHASE_COLOURS[n];
    g.fillText(`U${n + 1}`, x + 3, y);
    const [xi, yi] = arrow((p.ih[1] / iMax) * radius * 0.7, p.iph[1] - reference, PHASE_COLOURS[n], true);
    g.fillText(`I${n + 1}`, xi + 3, yi);
  });
}

/** Bars: values[k] at labels[k]; `unit` after the largest value. */
export function drawBars(canvas, labels, values, colour, unit) {
  const { g, width, height } = prepare(canvas);
  const max = Math.max(1e-9, ...values);
  const slot = width / values.length;
  g.fillStyle = colour;
  values.forEach((value, k) => {
    const h = (value / max) * (height - 28);
    g.fillRect(k * slot + 1, height - 14 - h, Math.max(1, slot - 2), h);
  });
  g.fillStyle = '#6b6b70';
  labels.forEach((label, k) => {
    if (values.length <= 16 || k % 2 === 0) g.fillText(String(label), k * slot + 1, height - 2);
  });
  g.fillText(`max ${max.toFixed(2)} ${unit}`, 4, 12);
}

/** A line over x = 0..n-1. */
export function drawLine(canvas, values, colour, label) {
  const { g, width, height } = prepare(canvas);
  axes(g, width, height, label);
  if (values.length === 0) return;
  const min = Math.min(0, ...values);
  const max = Math.max(1e-9, ...values);
  g.strokeStyle = colour;
  g.beginPath();
  values.forEach((value, k) => {
    const x = values.length === 1 ? width / 2 : (k / (values.length - 1)) * width;
    const y = height - 8 - ((value - min) / (max - min)) * (height - 24);
    if (k === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
  g.fillStyle = '#6b6b70';
  g.fillText(`max ${max.toFixed(1)}`, width - 80, 12);
}
