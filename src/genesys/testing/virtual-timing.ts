import { GenesysTiming } from '../genesys-timing';

/** Virtual time for tests: sleeping advances the clock instantly; jitter is fixed at 0.5. */
export class VirtualTiming extends GenesysTiming {
  slept: number[] = [];
  constructor(public t = 0) {
    super();
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
  random(): number {
    return 0.5;
  }
}
