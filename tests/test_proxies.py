"""The client's address behind trusted proxies (isf_tracker.proxies): X-Forwarded-For counts only
from a trusted peer, and only its right-most untrusted entry."""

from __future__ import annotations

import logging

import pytest

from isf_tracker import proxies
from isf_tracker.proxies import client_address, parse

NGINX = parse("10.0.0.5")


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_address("203.0.113.7", None, ()) == "203.0.113.7"
    assert client_address("203.0.113.7", "198.51.100.1", ()) == "203.0.113.7"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    assert client_address("203.0.113.7", "198.51.100.1", NGINX) == "203.0.113.7"
    assert client_address("203.0.113.7", "10.0.0.5, 198.51.100.1", NGINX) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client():
    assert client_address("10.0.0.5", "203.0.113.7", NGINX) == "203.0.113.7"
    # the client's own claims (left of what nginx appended) are ignored
    assert client_address("10.0.0.5", "198.51.100.1, 203.0.113.7", NGINX) == "203.0.113.7"
    # a trusted peer that forwarded nothing is the client
    assert client_address("10.0.0.5", None, NGINX) == "10.0.0.5"
    assert client_address("10.0.0.5", " , ", NGINX) == "10.0.0.5"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    cdn_and_nginx = parse("10.0.0.5, 192.0.2.0/24")
    chain = "198.51.100.1, 203.0.113.7, 192.0.2.10"  # a claim, the client, the CDN's edge
    assert client_address("10.0.0.5", chain, cdn_and_nginx) == "203.0.113.7"
    # two header lines arrive joined by commas, in order
    assert client_address("10.0.0.5", "203.0.113.7,192.0.2.10", cdn_and_nginx) == "203.0.113.7"
    # every entry trusted: the left-most is as far as the chain goes
    assert client_address("10.0.0.5", "192.0.2.9, 192.0.2.10", cdn_and_nginx) == "192.0.2.9"


def test_cidrs_match_every_address_inside_and_none_outside():
    cdn = parse("192.0.2.0/24")
    assert client_address("192.0.2.200", "203.0.113.7", cdn) == "203.0.113.7"
    assert client_address("192.0.3.1", "203.0.113.7", cdn) == "192.0.3.1"


def test_ipv6_in_any_spelling_and_with_ports():
    v6 = parse("2001:db8::/32 ::1")
    assert client_address("2001:db8::5", "2001:0DB8:0:0:0:0:abcd:1", v6) == "2001:db8::abcd:1"
    assert client_address("::1", "[2001:db9::7]:4711", v6) == "2001:db9::7"
    assert client_address("::1", "203.0.113.7:4711", v6) == "203.0.113.7"
    # an IPv4 client seen through an IPv6 socket is one key with its IPv4 form
    assert client_address("::ffff:203.0.113.7", None, v6) == "203.0.113.7"
    assert client_address("::1", "2001:db8::9", v6) == "2001:db8::9"  # all trusted: left-most


def test_an_entry_that_is_no_address_is_never_trusted():
    assert client_address("10.0.0.5", "203.0.113.7, unknown", NGINX) == "unknown"
    assert client_address("unknown", "203.0.113.7", parse("0.0.0.0/0")) == "unknown"


def test_the_setting_is_read_from_the_environment_and_bad_entries_are_named(monkeypatch, caplog):
    monkeypatch.delenv(proxies.TRUSTED_ENV, raising=False)
    assert proxies.trusted() == ()
    monkeypatch.setenv(proxies.TRUSTED_ENV, "127.0.0.1,10.0.0.0/8 nginx.local")
    with caplog.at_level(logging.WARNING, logger="isf_tracker.proxies"):
        parse.cache_clear()
        assert [str(n) for n in proxies.trusted()] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert "'nginx.local' is not an address or a network" in caplog.text


@pytest.mark.parametrize("peer", ["10.0.0.5", "10.0.0.6"])
def test_only_the_configured_address_is_trusted(peer):
    expected = "203.0.113.7" if peer == "10.0.0.5" else peer
    assert client_address(peer, "203.0.113.7", NGINX) == expected
