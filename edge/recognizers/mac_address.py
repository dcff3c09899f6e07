"""MAC (hardware) addresses of network interfaces: colon, hyphen and Cisco dot notation.

A MAC address identifies one device for its lifetime, across networks. IP addresses and URLs
are `patterns.IpAddressRecognizer`'s and `patterns.UrlRecognizer`'s.

Patterns and scores ported from Microsoft Presidio (MIT licence).
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.formats import FormatRecognizer, PatternFormat
from memveil.edge.recognizers.validators import mac_address_ok

MAC_ADDRESS = PatternFormat(
    key="mac_address",
    type_="Network Identifier",
    patterns=(
        (re.compile(r"\b[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}\b", re.IGNORECASE), 0.6),
        (re.compile(r"\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b", re.IGNORECASE), 0.6),
    ),
    reject=lambda value: not mac_address_ok(value),
    context=("mac", "mac address", "hardware address", "ethernet", "wifi", "网卡"),
)


class MacAddressRecognizer(FormatRecognizer):
    """MAC addresses ("Network Identifier"): 0.6, or 0.95 after a word like "MAC" or "ethernet"."""

    name = "mac_address"
    formats = (MAC_ADDRESS,)
