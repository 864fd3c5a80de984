/**
 * The small typed arrays a bulk build keeps (term ids, weights, surface ids of 250,000 records),
 * copied into shared blocks of 1 MB: each one then is a view over a block instead of an array
 * with its own buffer. A typed array of its own costs an ArrayBuffer object on the heap and a
 * separately allocated backing store outside it, more than its data for a vector of 30 terms; at
 * national scale (1.3 million arrays) that was about 300 MB of resident memory. A snapshot
 * loads its arrays the same way (views over the sections it reads; engine/snapshot.ts).
 *
 * Only for arrays kept as long as the index: a block is freed when no view of it is left, so the
 * arrays of a record replaced later would keep their block. Records indexed one at a time
 * (upserts) keep arrays of their own.
 */
const BLOCK_BYTES = 2 ** 20;

export class ArraySlab {
  private block = new ArrayBuffer(0);
  private used = 0;

  /** A copy of `values` in a block. */
  int32(values: Int32Array): Int32Array {
    const out = new Int32Array(this.take(values.byteLength), this.used - values.byteLength, values.length);
    out.set(values);
    return out;
  }

  float32(values: Float32Array): Float32Array {
    const out = new Float32Array(this.take(values.byteLength), this.used - values.byteLength, values.length);
    out.set(values);
    return out;
  }

  /** The block holding the next `bytes` (a new one when the current one is full), `used` past them. */
  private take(bytes: number): ArrayBuffer {
    if (this.used + bytes > this.block.byteLength) {
      this.block = new ArrayBuffer(Math.max(BLOCK_BYTES, bytes));
      this.used = 0;
    }
    this.used += bytes;
    return this.block;
  }
}
