"""The single-device checks of issue 13 on the shared real-world corpus.

Every file of ``../shared/corpus/public`` is linted once; the findings of the
rules below must be exactly the ones listed in ``EXPECTED``, each read in its
file and confirmed true, with the reason.  A new finding is either a bug in a
check (a false warning) or a true finding to add here after reading the file.
Skipped where the corpus is absent.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, corpus_files
from rosc.lint.config import Config
from rosc.lint.engine import lint_bytes

RULES = (
    "ROUTE008", "ROUTE009", "ROUTE010", "ROUTE011", "ROUTE012", "ROUTE013",
    "REF001", "REF002", "REF003", "REF004", "REF005", "REF006", "REF007", "REF012", "REF013", "REF014",
    "IF001", "IF002", "IF003", "IF004", "IF005", "IF006", "IF007", "IF008",
    "DHCP001", "DHCP002", "DHCP003", "DHCP004", "DHCP005", "DHCP006", "DHCP007",
    "PPP001", "PPP002", "PPP003",
    "WG006", "WG007", "WG008", "WG009",
    "IP6001", "IP6002", "IP6003",
)

_LAB4 = "romanborodin1__MikroTik/Lab4 - VLAN on Mikrotik__"
_PCC = "Pancho-uy__MK/BALANCEO PCC + FAILOVER.rsc"
_PCC_WHY = ("the script creates its own bridge LAN yet uses both WAN1/WAN2 and 'ether1 WAN1'/'ether2 WAN2' for the "
            "same two uplinks, and renames nothing (its /interface ethernet section is empty): at most one of each "
            "pair can exist")
_THANOS = "thanosnm__mikrotik-configs/mikrotik-dual-wan-{0}-config__mikrotik-dual-wan-{0}-config.rsc"

# (file, line, rule) -> why the finding is true
EXPECTED: dict[tuple[str, int, str], str] = {
    ("ElMoix__Mikrotik-Configs-Backups/mikrotik-priv-wifi-config.rsc", 15, "REF014"):
        "wlan2 is set to security profile Security_Priv, but the file defines the profiles ElMoix and ElMoixPub",
    ("ElMoix__Mikrotik-Configs-Backups/mikrotik-priv-wifi-config.rsc", 18, "REF014"):
        "wlan1 is set to security profile Security_Pub, which the file never defines either",
    ("ElMoix__Mikrotik-Configs-Backups/mikrotik-priv-wifi-config.rsc", 29, "REF001"):
        "the file renames wlan2 to ElMoix and wlan1 to ElMoixPub; no interface is called ElMoix2GHz",
    **{(_PCC, line, "REF001"): _PCC_WHY for line in (13, 14, 18, 20, 31, 33, 53, 54)},
    ("Pancho-uy__MK/LTE-DDO.rsc", 52, "REF001"):
        "line 8 renames ether1 to ether1-UPLINK; the filter rule still says in-interface=ether1",
    ("Pancho-uy__MK/BALANCEO 2 WAN + FAILOVER.rsc", 33, "ROUTE013"):
        "routes in table To_Wan1, but the mangle rules only mark AWA and AWB: nothing sends traffic to To_Wan1",
    ("Pancho-uy__MK/BALANCEO 2 WAN + FAILOVER.rsc", 35, "ROUTE013"): "the same for To_Wan2",
    ("TMaskpl__Mikrotik7-2WANs/MT_R2.rsc", 37, "ROUTE013"):
        "PCC marks connections for table to_WAN_1, but every route is in main: the load balancing does nothing",
    ("TMaskpl__Mikrotik7-2WANs/MT_R2.rsc", 39, "ROUTE013"): "the same for to_WAN_2",
    ("Pancho-uy__MK/MK LUNARSA EXPORT.rsc", 83, "ROUTE011"):
        "the defconf DHCP client on ether1 is still enabled next to the static address and default route on ether1",
    ("Rus1999__Network/lab12-recursive-checking__24-HQ-conf.rsc", 70, "ROUTE011"):
        "static recursive defaults at distance 1 beside pppoe-out1's add-default-route at distance 1",
    ("Rus1999__Network/lab12-recursive-checking__24-HQ-conf.rsc", 73, "ROUTE011"): "the same, via 8.8.8.8",
    ("romanborodin1__MikroTik/Lab1 - Mikrotik for an office__SW1_backup_13-05-2020_17-25.rsc", 83, "ROUTE011"):
        "bridge-WAN has a static address, a DHCP client (default route, distance 1) and a static default route",
    ("romanborodin1__MikroTik/Lab6 - full basic config + VLANs__R1_vlan30,31_+Cisco.rsc", 60, "ROUTE011"):
        "DHCP client on ether1 (add-default-route, distance 1) and a static default via 192.168.30.1 at distance 1",
    ("romanborodin1__MikroTik/Lab7 - CAPsMAN_with_VLANs__R1_RB2011_CAP_with_VLANs.rsc", 72, "ROUTE011"):
        "the same layout as Lab6",
    **{(_LAB4 + "SW1_Lab4.rsc", line, "ROUTE008"):
       "the gateway is in the /30 of gre-tunnel2-to-Vernadka, which is added with disabled=yes" for line in (113, 114)},
    **{(_LAB4 + "SW2_Lab4.rsc", line, "ROUTE008"):
       "the gateway is in the /30 of a GRE tunnel that is added with disabled=yes" for line in (111, 112, 113, 114)},
    **{("specnaz74__mikrotik/dualwan_v1.rsc", line, "ROUTE009"):
       "gateway=ether1/ether2 (DHCP-client uplinks) for default routes: RouterOS ARPs for every destination"
       for line in (53, 54, 55, 56)},
    **{(_THANOS.format(kind), line, "ROUTE009"):
       "dst-address=0.0.0.0/0 gateway=ether1/ether2 on DHCP uplinks, with check-gateway=ping that has nothing to probe"
       for kind in ("failover", "guest-vlan60-secure") for line in (36, 37)},
    **{("Rus1999__Network/" + f, 24, "IF006"):
       "the PPPoE server on bridge1 shares it with 10.1.10.1/24 and a DHCP server: customers can skip PPPoE"
       for f in ("LAB04-MKT-ISP-ROHome-MKT-SW__MKT-ISP-conf.rsc", "LAB04-MKT-ISP-ROHome-MKT-SW__v2__MKT-ISP-conf2.rsc")},
    **{(f, line, "IF003"):
       "a VLAN table entry and an access port with pvid=10 on a bridge whose vlan-filtering is never switched on"
       for f, line in (("buulka__2025_2026-introduction_in_routing-k3323-ivanova_e_a/lab1__config__sw02-l3-01.rsc", 8),
                       ("buulka__2025_2026-introduction_in_routing-k3323-ivanova_e_a/lab1__config__sw02-l3-02.rsc", 8),
                       ("plida__2025_2026-introduction_in_routing-k3323-krestyanova_e_f/lab1__config__sw02-01.rsc", 2),
                       ("plida__2025_2026-introduction_in_routing-k3323-krestyanova_e_f/lab1__config__sw02-02.rsc", 2))},
    **{("romanborodin1__MikroTik/Lab1 - Mikrotik for an office__SW1_backup_13-05-2020_17-25.rsc", line, "DHCP001"):
       "a v6.46 export: the DHCP networks hand out the router as DNS, /ip dns sets only servers=, so "
       "allow-remote-requests is off and the router refuses the clients' queries" for line in (60, 61, 62)},
    **{("Rus1999__Network/lab09-pptp-l2tp-VPN__24-HQ-conf-self.rsc", line, "PPP001"):
       "a v7.4 export with only the PPTP server enabled; the l2tp secrets (and the firewall's UDP 1701) are for an "
       "L2TP server that is never enabled" for line in (44, 45)},
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
