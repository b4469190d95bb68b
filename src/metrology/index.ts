/** The metrology layer's public API (re-exported from src/index.ts). */
export { measureBlock, measureStream, windowBoundsOf, referenceChannel, isComplete, type BlockMeasurementOptions } from './measure-block.js';
export { measureWindow, resampledPointsFor, type WindowBounds, type WindowMeasurementOptions } from './window-measurement.js';
export { fundamentalCrossings, type CycleDetectionOptions } from './cycle-detection.js';
export { planWindows, cyclesPerWindowFor, medianCycleSamples } from './window-plan.js';
export { fractionalWindowWeights, fractionalWindowRule, type QuadratureWeights, type QuadratureRule } from './fractional-window-quadrature.js';
export { resampleChannels, kernelTapsFor, KERNEL_TAPS, SHORT_KERNEL_TAPS, SHORTEST_KERNEL_TAPS } from './band-limited-resampler.js';
export { harmonicPhasors, harmonicPhasorPair, type HarmonicMethod, type HarmonicPhasors } from './harmonic-spectrum.js';
export { sequenceComponents, sequenceComponentsOf, SEQUENCE_MARGIN, type SequenceAnalysis, type Phasor } from './symmetrical-components.js';
export { wrapAngle } from './wrap-angle.js';
export { summarizeWindows } from './summarize-windows.js';
export { sampleMeasurementSource, type SampleMeasurementSourceOptions } from './sample-measurement-source.js';
export type { MeasurementSource } from './measurement-source.js';
export { measureTimelineWindow } from './phasor/measure-timeline-window.js';
export { PhasorMeasurementSource, phasorMeasurementSource, type PhasorMeasurementSourceOptions } from './phasor/phasor-measurement-source.js';
export { openMeasurementSource, type MeasurementSourceOptions } from './open-measurement-source.js';
