/** Typed arrays the lake's column buffers grow. */
type GrowableArray = Uint8Array | Int32Array | Float64Array;

/**
 * A copy of `array` with room for at least `length` elements: the capacity doubles, so
 * appending value after value costs amortised constant time.
 */
export function grownArray<T extends GrowableArray>(array: T, length: number): T {
  let capacity = Math.max(16, array.length * 2);
  while (capacity < length) capacity *= 2;
  const next = new (array.constructor as new (size: number) => T)(capacity);
  next.set(array);
  return next;
}
