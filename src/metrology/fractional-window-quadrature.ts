/**
 * Integration weights for a window whose edges fall between samples.
 *
 * The integral of a sampled signal g over [a, b] (a, b in fractional sample indices) is computed
 * piecewise: on every sample interval [n, n+1] the cubic through g[n-1..n+2] is integrated
 * exactly (for whole intervals that is (-g[n-1] + 13 g[n] + 13 g[n+1] - g[n+2]) / 24), and the
 * two partial intervals at the edges integrate the same cubic over their fraction only. The rule
 * is fourth-order accurate, so a window of whole cycles that starts and ends anywhere between
 * samples loses no accuracy to its fractional edges.
 *
 * The weights are shared by every product (u^2, i^2, u*i ...) of the window: compute them once.
 */

/** F(hi) - F(lo) for the antiderivative F(s) = c3 s^4 / 4 + c2 s^3 / 3 + c1 s^2 / 2 + c0 s. */
function integral(lo: number, hi: number, c3: number, c2: number, c1: number, c0: number): number {
  const upper = ((c3 * hi) / 4 + c2 / 3) * hi * hi * hi + ((c1 * hi) / 2 + c0) * hi;
  const lower = ((c3 * lo) / 4 + c2 / 3) * lo * lo * lo + ((c1 * lo) / 2 + c0) * lo;
  return upper - lower;
}

/** Integral over [lo, hi] (0 <= lo <= hi <= 1, local coordinate s) of the Lagrange basis on nodes -1, 0, 1, 2. */
function cubicIntervalWeights(lo: number, hi: number, out: Float64Array): void {
  // Antiderivatives of L_{-1} = -(s^3 - 3s^2 + 2s)/6, L_0 = (s^3 - 2s^2 - s + 2)/2,
  // L_1 = -(s^3 - s^2 - 2s)/2, L_2 = (s^3 - s)/6.
  out[0] = integral(lo, hi, -1 / 6, 3 / 6, -2 / 6, 0);
  out[1] = integral(lo, hi, 1 / 2, -2 / 2, -1 / 2, 2 / 2);
  out[2] = integral(lo, hi, -1 / 2, 1 / 2, 2 / 2, 0);
  out[3] = integral(lo, hi, 1 / 6, 0, -1 / 6, 0);
}

export interface QuadratureWeights {
  /** Sample index of weights[0]. */
  readonly firstIndex: number;
  /** Weight per sample; sum over samples of weights[k] * g[firstIndex + k] = integral of g over [a, b] (in sample units). */
  readonly weights: Float64Array;
  /** b - a, the window length in samples (the integral of 1). */
  readonly lengthSamples: number;
}

/**
 * Weights for the integral over [a, b] of a signal with `length` samples. Indices the cubic would
 * need outside the record are folded onto the nearest sample (only matters for a window that
 * touches the record's first or last sample).
 */
export function fractionalWindowWeights(a: number, b: number, length: number): QuadratureWeights {
  if (!(b > a)) throw new RangeError(`window end ${b} must follow its start ${a}`);
  const firstInterval = Math.floor(a);
  const lastInterval = Math.min(Math.ceil(b) - 1, length - 2);
  const firstIndex = Math.max(0, firstInterval - 1);
  const lastIndex = Math.min(length - 1, lastInterval + 2);
  const weights = new Float64Array(lastIndex - firstIndex + 1);
  const w = new Float64Array(4);
  const add = (n: number, lo: number, hi: number): void => {
    cubicIntervalWeights(lo, hi, w);
    for (let k = 0; k < 4; k++) {
      const idx = Math.min(lastIndex, Math.max(firstIndex, n - 1 + k));
      weights[idx - firstIndex] += w[k];
    }
  };
  // Whole interior intervals: the same four weights each time, added in bulk.
  const wholeFrom = firstInterval + 1;
  const wholeTo = lastInterval - 1;
  if (lastInterval === firstInterval) {
    add(firstInterval, a - firstInterval, b - firstInterval);
  } else {
    add(firstInterval, a - firstInterval, 1);
    if (wholeTo >= wholeFrom && wholeFrom - 1 >= firstIndex && wholeTo + 2 <= lastIndex) {
      const edge = -1 / 24;
      const mid = 13 / 24;
      for (let n = wholeFrom; n <= wholeTo; n++) {
        const base = n - 1 - firstIndex;
        weights[base] += edge;
        weights[base + 1] += mid;
        weights[base + 2] += mid;
        weights[base + 3] += edge;
      }
    } else {
      for (let n = wholeFrom; n <= wholeTo; n++) add(n, 0, 1);
    }
    add(lastInterval, 0, b - lastInterval);
  }
  return { firstIndex, weights, lengthSamples: b - a };
}

export interface QuadratureRule {
  /** b - a, the window length in samples (the integral of 1). */
  readonly lengthSamples: number;
  /** Samples unitFrom .. unitTo (inclusive) have weight exactly 1 (empty when unitFrom > unitTo). */
  readonly unitFrom: number;
  readonly unitTo: number;
  /** Every other sample of the rule, with its weight. */
  readonly edgeIndices: Int32Array;
  readonly edgeWeights: Float64Array;
}

/**
 * The same rule as fractionalWindowWeights, split for speed: away from the edges every weight is
 * exactly 1 (-1/24 + 13/24 + 13/24 - 1/24), so a loop over the interior needs no multiplication.
 */
export function fractionalWindowRule(a: number, b: number, length: number): QuadratureRule {
  if (!(b > a)) throw new RangeError(`window end ${b} must follow its start ${a}`);
  const firstInterval = Math.floor(a);
  const lastInterval = Math.min(Math.ceil(b) - 1, length - 2);
  if (lastInterval - firstInterval < 8) {
    const { firstIndex, weights, lengthSamples } = fractionalWindowWeights(a, b, length);
    return {
      lengthSamples,
      unitFrom: 1,
      unitTo: 0,
      edgeIndices: Int32Array.from(weights, (_, k) => firstIndex + k),
      edgeWeights: weights,
    };
  }
  const firstIndex = Math.max(0, firstInterval - 1);
  const lastIndex = Math.min(length - 1, lastInterval + 2);
  // A sample whose four neighbouring intervals are all whole has weight exactly 1.
  const unitFrom = firstInterval + 3;
  const unitTo = lastInterval - 2;
  const leftCount = unitFrom - firstIndex;
  const rightCount = lastIndex - unitTo;
  const edgeIndices = new Int32Array(leftCount + rightCount);
  const edgeWeights = new Float64Array(leftCount + rightCount);
  for (let k = 0; k < leftCount; k++) edgeIndices[k] = firstIndex + k;
  for (let k = 0; k < rightCount; k++) edgeIndices[leftCount + k] = unitTo + 1 + k;
  const w = new Float64Array(4);
  const shape: EdgeShape = { firstIndex, lastIndex, unitFrom, unitTo, leftCount };
  addEdgeInterval(shape, edgeWeights, w, firstInterval, a - firstInterval, 1);
  for (let i = firstInterval + 1; i <= firstInterval + 3; i++) addEdgeInterval(shape, edgeWeights, w, i, 0, 1);
  for (let i = lastInterval - 3; i < lastInterval; i++) addEdgeInterval(shape, edgeWeights, w, i, 0, 1);
  addEdgeInterval(shape, edgeWeights, w, lastInterval, 0, b - lastInterval);
  return { lengthSamples: b - a, unitFrom, unitTo, edgeIndices, edgeWeights };
}

interface EdgeShape {
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly unitFrom: number;
  readonly unitTo: number;
  readonly leftCount: number;
}

/** Adds interval `interval`'s share [lo, hi] of the cubic rule to the edge weights (w: 4 scratch values). */
function addEdgeInterval(shape: EdgeShape, edgeWeights: Float64Array, w: Float64Array, interval: number, lo: number, hi: number): void {
  const { firstIndex, lastIndex, unitFrom, unitTo, leftCount } = shape;
  cubicIntervalWeights(lo, hi, w);
  for (let k = 0; k < 4; k++) {
    const n = Math.min(lastIndex, Math.max(firstIndex, interval - 1 + k));
    if (n < unitFrom) edgeWeights[n - firstIndex] += w[k];
    else if (n > unitTo) edgeWeights[leftCount + (n - unitTo - 1)] += w[k];
  }
}
