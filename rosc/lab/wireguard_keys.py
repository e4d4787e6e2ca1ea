"""WireGuard keys: X25519 (RFC 7748) in pure Python, to derive a public key from the
private key an export holds and compare it with what the other side's peer expects."""

from __future__ import annotations

import base64

_P = 2**255 - 19


_A24 = 121665


def x25519(scalar: bytes, u: bytes) -> bytes:
    """X25519(k, u) of RFC 7748, section 5 (the Montgomery ladder)."""
    if len(scalar) != 32 or len(u) != 32:
        raise ValueError("X25519 takes 32-byte inputs")
    k = bytearray(scalar)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    kn = int.from_bytes(k, "little")
    ub = bytearray(u)
    ub[31] &= 127
    x1 = int.from_bytes(ub, "little") % _P
    x2, z2, x3, z3 = 1, 0, x1, 1
    swap = 0
    for t in range(254, -1, -1):
        bit = (kn >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a = (x2 + z2) % _P
        aa = a * a % _P
        b = (x2 - z2) % _P
        bb = b * b % _P
        e = (aa - bb) % _P
        c = (x3 + z3) % _P
        d = (x3 - z3) % _P
        da = d * a % _P
        cb = c * b % _P
        x3 = (da + cb) ** 2 % _P
        z3 = x1 * (da - cb) ** 2 % _P
        x2 = aa * bb % _P
        z2 = e * (aa + _A24 * e) % _P
    if swap:
        x2, x3, z2, z3 = x3, x2, z3, z2
    return (x2 * pow(z2, _P - 2, _P) % _P).to_bytes(32, "little")


def decode_key(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return None
    return raw if len(raw) == 32 else None


def public_key(private_key: str | None) -> str | None:
    """The WireGuard public key (base64) of a private key (base64)."""
    raw = decode_key(private_key)
    if raw is None:
        return None
    return base64.b64encode(x25519(raw, (9).to_bytes(32, "little"))).decode("ascii")
