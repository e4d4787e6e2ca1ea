"""The firewall order checks of issue 14 (part A: FW001–FW019) on the shared
real-world corpus.

Every file of ``../shared/corpus/public`` is linted once; the findings of
``RULES`` must be exactly the ones in ``EXPECTED``, each read in its file
and confirmed true, with the reason.  A new finding is either a false
warning (a bug) or a true one to add here after reading the file.  Part B's
rules keep their own list in ``tests/test_corpus_firewall_b.py``.  Skipped
where the corpus is absent.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, corpus_files
from rosc.lint.config import Config
from rosc.lint.engine import lint_bytes

RULES = ("FW001", "FW002", "FW003", "FW004", "FW005")

_TMASK = "TMaskpl__Mikrotik7-2WANs/"
_TMASK_WHY = ("the PCC mark-connection rules (passthrough=yes) are pasted twice in prerouting with the same "
              "matchers and marks: each connection is marked twice with the same mark")
_LUMI = "luminosita__snapshot-hetzner-mikrotik/mikrotik-common__rsc__firewall.rsc"
_THANOS = "thanosnm__mikrotik-configs/mikrotik-{0}-config__mikrotik-{0}-config.rsc"
_GUEST_NAT = ("the guest masquerade on {0} comes after 'masquerade out-interface={0}' with no src-address: the "
              "first rule already masquerades the guest network")

# (file, line, rule) -> why the finding is true
EXPECTED: dict[tuple[str, int, str], str] = {
    ("Disassembler0__mikrotik-scripts/firewall__firewall-output.rsc", 49, "FW001"):
        "accept udp 3544 (Teredo) in OUT-Clients follows the Xbox accept of udp 1836,3074,3544 in the same chain",
    ("Pancho-uy__MK/MK-DDO-dhcp.rsc", 58, "FW002"):
        "the 'WEB PROXY' accept repeats line 46 (tcp 8081 from 200.108.192.42 on WAN) with only a comment added",
    **{(_TMASK + f, line, "FW002"): _TMASK_WHY
       for f, line in (("MT_R1.rsc", 56), ("MT_R1.rsc", 59), ("MT_R2.rsc", 54), ("MT_R2.rsc", 57),
                       ("config.rsc", 48), ("config.rsc", 49))},
    ("facubertran__mikrotik_hadening/filter-forward.rsc", 4, "FW003"):
        "the script's first forward rule is 'accept' with no matchers (comment DeshabilitarFirewal, 'disable "
        "the firewall', disabled=no): the protection rules below it never run",
    ("facubertran__mikrotik_hadening/filter-input.rsc", 29, "FW003"):
        "the same 'DeshabilitarFirewal' accept-all opens the input chain, so the 27 protection rules never run",
    (_LUMI, 60, "FW001"):
        "a second accept of established,related after the defconf accept of established,related,untracked",
    (_LUMI, 61, "FW002"): "'Drop Invalid' repeats the defconf drop of connection-state=invalid of line 54",
    (_LUMI, 65, "FW001"):
        "the fasttrack rule comes after 'Allow Established and Related Forward': no packet reaches it, so "
        "nothing is fasttracked",
    (_LUMI, 66, "FW002"): "'Drop Invalid Forward' repeats the defconf forward drop of invalid of line 56",
    ("romanborodin1__MikroTik/Lab2 - Protecting Mikrotik from external threats__default_FW_rules.txt.rsc", 37,
     "FW002"): "the src-nat of 192.168.0.0/16 to 172.24.68.121 is written twice",
    ("romanborodin1__MikroTik/Lab3 - fault-tolerant L2 network on Mikrotik sw__SW1_backup.txt.rsc", 109, "FW003"):
        "'ACCEPT ALL FORWARD !!! REMOVE IT ASAP!!!' is still enabled at the top of forward: the scanner "
        "detection and black-list rules below never run",
    ("specnaz74__mikrotik/minimal_firewall.rsc", 24, "FW001"):
        "the L2TP ipsec-esp accept on ether1 comes after 'drop all not coming from LAN' (in-interface=!bridge): "
        "ether1 is not bridge, so the VPN is never accepted",
    ("specnaz74__mikrotik/minimal_firewall.rsc", 26, "FW001"):
        "the same for the L2TP/IPsec UDP ports 500,1701,4500 on ether1",
    ("tealok-tech__mikrotik-router-configuration/configuration__firewall-ipv6.rsc", 21, "FW001"):
        "'Allow forwarding external' follows 'Drop external' on ether1; the file's comment says to comment out "
        "the drop to let it work",
    (_THANOS.format("dual-wan-guest-vlan60-secure"), 91, "FW001"): _GUEST_NAT.format("ether1"),
    (_THANOS.format("dual-wan-guest-vlan60-secure"), 92, "FW001"): _GUEST_NAT.format("ether2"),
    (_THANOS.format("single-wan-guest-vlan60"), 87, "FW001"): _GUEST_NAT.format("ether1"),
    # One finding each for bridge2-WiFi-corp and bridge3-WiFi-guest, on the same final drop.
    **{("romanborodin1__MikroTik/" + f, line, "FW005"):
       "the DHCP networks of the two Wi-Fi bridges hand out the router (192.168.218.1, 192.168.220.1) as DNS "
       "with allow-remote-requests=yes, but the input chain accepts udp 53 only from bridge1-LAN and then "
       "drops all: the Wi-Fi clients cannot resolve names"
       for f, line in (("Lab3 - fault-tolerant L2 network on Mikrotik sw__SW1_backup.txt.rsc", 127),
                       ("Lab4 - VLAN on Mikrotik__SW1_bckp.rsc", 136))},
}

FILES = corpus_files()
pytestmark = pytest.mark.skipif(not FILES, reason=f"corpus not present at {CORPUS}")


@pytest.fixture(scope="module")
def corpus_findings():
    config = Config(select=list(RULES))
    found: dict[tuple[str, int, str], str] = {}
    for path in FILES:
        rel = str(path.relative_to(CORPUS))
        for d in lint_bytes(path.read_bytes(), rel, config).diagnostics:
            if d.code in RULES:
                found[(rel, d.span.line, d.code)] = d.message
    return found


def test_no_finding_that_was_not_read_and_confirmed(corpus_findings):
    new = {k: v for k, v in corpus_findings.items() if k not in EXPECTED}
    assert new == {}


def test_every_confirmed_finding_is_still_found(corpus_findings):
    assert sorted(k for k in EXPECTED if k not in corpus_findings) == []
