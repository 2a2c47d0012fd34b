"""The client's address behind proxies the operator trusts (nginx, a CDN): what the throttles key
on. X-Forwarded-For is anyone's to write, so it is read only when the request comes from a
trusted proxy, and then from the right: each trusted proxy appends the address it saw, so the
right-most entry that is not a trusted proxy is the client (entries further left are its claims)."""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
from collections.abc import Iterable

TRUSTED_ENV = "ISF_TRACKER_TRUSTED_PROXIES"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
log = logging.getLogger(__name__)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as written in a peer or a header ("1.2.3.4", "1.2.3.4:80", "[::1]:80", an
    IPv4-mapped IPv6), or None for anything else ("unknown", a name, garbage)."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(found, "ipv4_mapped", None) or found


@functools.lru_cache(maxsize=8)
def parse(value: str) -> tuple[Network, ...]:
    """Addresses and CIDRs, separated by commas or spaces; an entry that is neither is logged and
    left out (trusting less is the safe side)."""
    networks = []
    for entry in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            log.warning("%s: %r is not an address or a network; ignored", TRUSTED_ENV, entry)
    return tuple(networks)


def trusted() -> tuple[Network, ...]:
    """The operator's trusted proxies, from $ISF_TRACKER_TRUSTED_PROXIES (default: none)."""
    return parse(os.environ.get(TRUSTED_ENV, ""))


def _is_trusted(address: str, networks: Iterable[Network]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip.version == net.version and ip in net for net in networks)


def client_address(peer: str, forwarded_for: str | None, networks: Iterable[Network]) -> str:
    """The client's address: `peer` itself unless it is a trusted proxy; then the right-most
    X-Forwarded-For entry that is not one (the left-most if all are). Written the same way for
    every spelling of an address, so one client is one key."""
    networks = tuple(networks)
    if not _is_trusted(peer, networks):
        return _normal(peer)
    chain = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()]
    if not chain:
        return _normal(peer)
    untrusted = [entry for entry in chain if not _is_trusted(entry, networks)]
    return _normal(untrusted[-1] if untrusted else chain[0])


def _normal(address: str) -> str:
    ip = _ip(address)
    return str(ip) if ip is not None else address.strip()
