import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * Time-ordered id (48-bit ms timestamp + 80 random bits, Crockford base32) with a type prefix,
 * e.g. `ord_01JD…`. Within one millisecond of one process the random part counts up, so ids
 * made one after another sort in creation order (parts of an order list in the order made).
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now === lastTime) {
    increment(lastRandom);
  } else {
    lastTime = now;
    const bytes = randomBytes(16);
    lastRandom = Array.from({ length: 16 }, (_, i) => bytes[i]! % 32);
    lastRandom[0] = lastRandom[0]! & 0x0f; // headroom so counting up never overflows
  }
  let time = now;
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = ALPHABET[time % 32] + head;
    time = Math.floor(time / 32);
  }
  return `${prefix}_${head}${lastRandom.map((d) => ALPHABET[d]).join('')}`;
}

/** The smallest id of the same shape greater than `id` (its last base32 digit counted up). */
export function idAfter(id: string): string {
  const cut = id.indexOf('_') + 1;
  const digits = [...id.slice(cut)].map((c) => ALPHABET.indexOf(c));
  increment(digits);
  return id.slice(0, cut) + digits.map((d) => ALPHABET[d]).join('');
}

function increment(digits: number[]) {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]! += 1;
      return;
    }
    digits[i] = 0;
  }
}
