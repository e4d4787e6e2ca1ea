"""The firewall policy model: ``/ip firewall`` and ``/ipv6 firewall``
``filter``, ``nat``, ``mangle`` and ``raw`` as RouterOS walks them.

The API, stable for checks, ``rosc flow`` and the lab:

* ``policy(run) -> Policy``: build once per run with ``ctx.shared(policy)``;
* ``Policy.chain(table, name, family=4) -> Chain`` (``.rules`` in order,
  disabled ones included; ``.active``; ``.builtin``), ``Policy.table(...)``,
  ``Policy.rules(...)``, ``Policy.decidable(table, family)``,
  ``Policy.interface_lists`` (``InterfaceLists.members(name) -> Names |
  None``), ``Policy.address_lists`` (``AddressLists.entries(name, family)``);
* ``Rule``: ``item``, ``line``, ``index``, ``action``, ``terminal``,
  ``dropping``, ``jump_target``, ``disabled``, ``space`` (its match space),
  ``exact``, ``unconditional``, ``undecidable`` / ``opaque`` (the matchers
  rosc does not model), ``matches(packet) -> Match.YES|NO|MAYBE``,
  ``covers(other)``, ``overlaps(other)``;
* ``packet(family, in_interface=..., src=..., dst=..., protocol=...,
  dst_port=..., state=...)``: a packet or class of packets to match;
* ``walk(policy, table, chain, packet, family) -> Verdict``: the rule that
  decides, the rules that may have matched first (``maybes``), the
  non-terminal rules passed (``steps``).

Manual pages: Filter, NAT, Mangle, RAW, Common Firewall Matchers and
Actions, Address-lists, Interface Lists, Packet Flow in RouterOS.
"""

from rosc.model.firewall.evaluate import Verdict, walk
from rosc.model.firewall.lists import AddressLists, InterfaceLists
from rosc.model.firewall.packet import packet, with_field
from rosc.model.firewall.policy import BUILTIN_CHAINS, TABLES, Chain, Policy, menu_of, policy
from rosc.model.firewall.rules import DIMENSIONS, Match, Rule, universe
from rosc.model.firewall.sets import Dim, Names, Ranges

__all__ = [
    "AddressLists", "BUILTIN_CHAINS", "Chain", "DIMENSIONS", "Dim", "InterfaceLists", "Match", "Names", "Policy",
    "Ranges", "Rule", "TABLES", "Verdict", "menu_of", "packet", "policy", "universe", "walk", "with_field",
]
