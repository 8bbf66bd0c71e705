/**
 * A cache whose keys come from requests (compiled statements by search shape, say): when full, it
 * starts afresh rather than grow without bound. Cheaper than ordering entries by use, and its
 * entries are quick to make again.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}
