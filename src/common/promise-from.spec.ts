import { promiseFrom } from './promise-from';

describe('promiseFrom', () => {
  it("returns the function's own promise", async () => {
    await expect(promiseFrom(() => Promise.resolve(7))).resolves.toBe(7);
    await expect(promiseFrom(() => Promise.reject(new Error('late')))).rejects.toThrow('late');
  });

  it('turns a synchronous throw into a rejection (an Error, whatever was thrown)', async () => {
    const boom = new RangeError('early');
    const thrower = (): Promise<void> => {
      throw boom;
    };
    const p = promiseFrom(thrower);
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toBe(boom);
    const odd = (): Promise<void> => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'text';
    };
    await expect(promiseFrom(odd)).rejects.toThrow('text');
  });
});
