/** A change of units with its sign, as the ledger shows it: +5, 0, −2 (a real minus sign). */
export const signed = (n: number) => (n > 0 ? `+${n}` : n === 0 ? '0' : `−${-n}`);
