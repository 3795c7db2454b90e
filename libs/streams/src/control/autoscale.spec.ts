import { isHot, WriteRateMeter, type AutoscaleSettings } from './autoscale';

const settings: AutoscaleSettings = { recordsPerSecond: 1000, bytesPerSecond: 1_048_576, windowMs: 3000 };
const T0 = 1_700_000_000_000;

/** Writes `records` records of `size` bytes in each of `seconds` seconds from `from`. */
function load(meter: WriteRateMeter, from: number, seconds: number, records: number, size = 10): void {
  for (let s = 0; s < seconds; s++) {
    // spread over the second in two rounds, as mailbox rounds would be
    meter.record(from + s * 1000 + 100, Math.ceil(records / 2), Math.ceil(records / 2) * size);
    meter.record(from + s * 1000 + 600, Math.floor(records / 2), Math.floor(records / 2) * size);
  }
}

describe('isHot', () => {
  it('is hot after a whole window above half the records limit', () => {
    const meter = new WriteRateMeter();
    load(meter, T0, 4, 501);
    expect(isHot(meter, settings, T0 + 3000)).toBe(true);
    expect(isHot(meter, settings, T0 + 3999)).toBe(true);
  });

  it('is not hot at exactly half the limit, nor below it', () => {
    const meter = new WriteRateMeter();
    load(meter, T0, 4, 500);
    expect(isHot(meter, settings, T0 + 4000)).toBe(false);
  });

  it('counts bytes as well as records', () => {
    const meter = new WriteRateMeter();
    load(meter, T0, 4, 10, 60_000); // 600 KB/s of few records
    expect(isHot(meter, settings, T0 + 4000)).toBe(true);
  });

  it('is never hot before a whole window has been measured', () => {
    const meter = new WriteRateMeter();
    expect(isHot(meter, settings, T0 + 10_000)).toBe(false);
    load(meter, T0, 2, 5000);
    expect(isHot(meter, settings, T0 + 2000)).toBe(false);
    load(meter, T0 + 2000, 1, 5000);
    expect(isHot(meter, settings, T0 + 3000)).toBe(true);
  });

  it('a quiet second inside the window breaks the run', () => {
    const meter = new WriteRateMeter();
    load(meter, T0, 1, 900);
    load(meter, T0 + 2000, 2, 900);
    expect(isHot(meter, settings, T0 + 4000)).toBe(false);
    load(meter, T0 + 4000, 1, 900);
    expect(isHot(meter, settings, T0 + 5000)).toBe(true);
  });

  it('cools down when the load stops', () => {
    const meter = new WriteRateMeter();
    load(meter, T0, 4, 900);
    expect(isHot(meter, settings, T0 + 4000)).toBe(true);
    expect(isHot(meter, settings, T0 + 5000)).toBe(false);
  });
});
