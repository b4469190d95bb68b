/** The meter factory `submeter serve` uses: the meter, waveform and register layers. */
import { CliError } from '../cli-error.js';
import { withDemoProfile } from './demo-meter-factory.js';
import type { MeterFactory } from './panel-meter.js';

const realMeter: MeterFactory = (spec) => {
  throw new CliError(`profile "${spec.profile}" needs the meter and register layers, which are not in this build (try --profile demo)`, 2);
};

export const defaultMeterFactory: MeterFactory = withDemoProfile(realMeter);
