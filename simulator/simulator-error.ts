import { WardflowError } from '../functions/shared/errors.js';

/** The generator was asked for something it cannot model (bad profile, option or attack). */
export class SimulatorError extends WardflowError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SimulatorError';
  }
}
