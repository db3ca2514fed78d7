import ipaddr from 'ipaddr.js';

function bytesOf(addr: ipaddr.IPv4 | ipaddr.IPv6): number[] {
  return addr.kind() === 'ipv4'
    ? (addr as ipaddr.IPv4).toIPv4MappedAddress().toByteArray()
    : addr.toByteArray();
}

function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The address in its normal text form (an IPv4-mapped IPv6 address as IPv4), or null when it is not one. */
export function normaliseIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const text = ip.trim();
  if (!ipaddr.isValid(text)) return null;
  return ipaddr.process(text).toString();
}

/** 32 lowercase hex digits of the 16-byte IPv6 form (IPv4 as ::ffff:a.b.c.d): sorts as the addresses do. */
export function ipKey(ip: string | null | undefined): string | null {
  const text = normaliseIp(ip);
  return text === null ? null : hex(bytesOf(ipaddr.parse(text)));
}

/** The inclusive ip_key range a CIDR (or a single address) covers, or null when it is not one. */
export function cidrRange(cidr: string): { lo: string; hi: string } | null {
  const text = cidr.trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (text.includes('/')) [addr, prefix] = ipaddr.parseCIDR(text);
    else {
      if (!ipaddr.isValid(text)) return null;
      addr = ipaddr.parse(text);
      prefix = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return null;
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    prefix = Math.max(0, prefix - 96);
  }
  const bits = addr.kind() === 'ipv4' ? prefix + 96 : prefix;
  const bytes = bytesOf(addr);
  const lo = bytes.map((b, i) => b & maskByte(bits, i));
  const hi = bytes.map((b, i) => (b & maskByte(bits, i)) | (~maskByte(bits, i) & 0xff));
  return { lo: hex(lo), hi: hex(hi) };
}

function maskByte(bits: number, index: number): number {
  const inByte = Math.min(8, Math.max(0, bits - index * 8));
  return (0xff << (8 - inByte)) & 0xff;
}
