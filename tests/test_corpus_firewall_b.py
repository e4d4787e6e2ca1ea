"""The firewall checks of interfaces, NAT, chains and marks (FW020–FW033) on
the shared real-world corpus.

Every file of ``../shared/corpus/public`` is linted once; the findings of
these rules must be exactly the ones listed in ``EXPECTED``, each read in
its file and confirmed true, with the reason.  A new finding is either a
bug in a check (a false warning) or a true finding to add here after
reading the file.  Skipped where the corpus is absent.

The findings read while tuning the rules, and why they are not reported:

- ``Disassembler0__mikrotik-scripts/firewall__firewall-input.rsc``: chain
  IN-LAN looked unused because the parser loses the jump rule on line 10
  (``comment="Jump to IN-LAN" rules"``: an odd quote, SYN002); a table with a
  syntax error among its rules is not judged.
- ``ElMoix__Mikrotik-Configs-Backups/mikrotik-failover-config.rsc`` (mangle
  chains WAN1/WAN2 with no jump) and ``mikrotik-portforward-config.rsc``
  (NAT chain DNAT): script fragments without an export header and without
  jump rules of their own; the jumps may be on the router.
- ``maigonis-elleris__routeros-fundamentals-lab/VLANs__R1.rsc``: the
  fasttrack rules are limited to ``LAN_full_access``, while the simple queue
  shapes the guest VLAN in ``LAN_restricted``: deliberately kept out of
  FastTrack.
- ``romanborodin1__MikroTik/Lab2 ...default_FW_rules.txt.rsc``: src-nat of
  192.168.0.0/16 in a fragment that has no addresses at all.
- ``romanborodin1__MikroTik/Lab4 ...SW1_bckp.rsc`` (masquerade on the
  uplink limited to 192.168.0.0/16, a 10.0.77.0/24 management VLAN left
  out), ``Lab5 ...R1_good-cfg_VL30,31.txt.rsc`` (two DHCP default routes
  at distance 1), ``R1-cfg.rsc`` (the uplink is in LAN: a router turned
  switch): not an interface mistake, so FW021 is silent.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, corpus_files
from rosc.lint.config import Config
from rosc.lint.engine import lint_bytes

RULES = tuple(f"FW0{n}" for n in range(20, 34))

# (file, line, rule) -> why the finding is true
EXPECTED: dict[tuple[str, int, str], str] = {}

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
