// Hex encoding sits on the hot path (key hashes, payout user hashes): a table beats map/padStart.
const byteToHex = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += byteToHex[bytes[i]!];
  return out;
}
