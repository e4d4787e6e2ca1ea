"""What a RouterOS script finds in its environment without declaring it.

The manual (Scripting, "Variables") says every variable must be declared
with ``:local`` or ``:global`` before use, except the built-in variables the
application running the script provides: a DHCP server's ``lease-script``
sees ``$leaseActIP``, a PPP profile's ``on-up`` sees ``$user``, Netwatch
passes its probe's properties, and so on.  These tables list them by the
menu and argument that hold the script, as each feature's manual page
documents them (DHCP, PPP AAA, HotSpot, Netwatch, Flashfig).

A ``/system script`` can be started by any of those hooks by name
(``lease-script=myScript``), so a script body, and a file that may be such
a script's source, sees the union of all of them.
"""

from __future__ import annotations

_LEASE = frozenset(
    """leaseBound leaseServerName leaseActMAC leaseActIP lease-agent-circuit-id lease-agent-remote-id
    lease-hostname lease-options""".split()
)
_DHCP_CLIENT = frozenset("bound server-address lease-address interface gateway-address vendor-specific lease-options".split())
_DHCP6_CLIENT = frozenset("pd-valid pd-prefix na-valid na-address options".split())
_DHCP6_BINDING = frozenset("bindingBound bindingServerName bindingDUID bindingAddress bindingPrefix".split())
_PPP = frozenset("user local-address remote-address caller-id called-id interface".split())
_HOTSPOT = frozenset(
    """user username address mac-address interface cause uptime-secs bytes-in bytes-out bytes-total
    packets-in packets-out packets-total""".split()
)
# Netwatch passes the probe's settings and statistics (its CLI reference).
_NETWATCH = frozenset(
    """accept-icmp-time-exceeded certificate check-certificate comment disabled dns-server done-tests
    early-failure-detection early-success-detection failed-tests host http-codes http-resp-time
    http-status-code ignore-initial-down ignore-initial-up interval ip ip6 loss-count loss-percent
    mail-servers name name-servers packet-count packet-interval packet-size port record-type
    response-count rtt-avg rtt-jitter rtt-max rtt-min rtt-stdev sent-count since src-address
    start-delay startup-delay status tcp-connect-time thr-avg thr-http-time thr-jitter
    thr-loss-count thr-loss-percent thr-max thr-stdev thr-tcp-conn-time timeout ttl type""".split()
)
# Flashfig reads these read-only variables (Flashfig); the default
# configuration script RouterOS runs after a reset is given `$action`
# ("apply" or "revert"), which its text, as `/system default-configuration
# print` shows it, reads before declaring.
_FLASHFIG = frozenset("defconfPassword defconfWifiPassword action".split())

#: built-in variables by (menu, argument) of the script-holding argument
HOOK_VARIABLES: dict[tuple[tuple[str, ...], str], frozenset[str]] = {
    (("ip", "dhcp-server"), "lease-script"): _LEASE,
    (("ip", "dhcp-client"), "script"): _DHCP_CLIENT,
    (("ipv6", "dhcp-client"), "script"): _DHCP6_CLIENT,
    (("ipv6", "dhcp-server"), "binding-script"): _DHCP6_BINDING,
    (("ppp", "profile"), "on-up"): _PPP,
    (("ppp", "profile"), "on-down"): _PPP,
    (("ip", "hotspot", "user", "profile"), "on-login"): _HOTSPOT,
    (("ip", "hotspot", "user", "profile"), "on-logout"): _HOTSPOT,
    (("tool", "netwatch"), "up-script"): _NETWATCH,
    (("tool", "netwatch"), "down-script"): _NETWATCH,
    (("tool", "netwatch"), "test-script"): _NETWATCH,
}

#: what a script that any hook may start can see: the union of them all
ANY_HOOK_VARIABLES = frozenset().union(*HOOK_VARIABLES.values()) | _FLASHFIG

# The scripting commands (Scripting, "Global commands"); without the colon
# they are still these commands at the root menu.
SCRIPT_WORDS = frozenset(
    """beep break continue convert delay deserialize do environment error execute exit find for foreach
    global grep if jobname len local lock log nothing onerror parse pick put range resolve retry return
    rndnum rndstr serialize set terminal time timestamp toarray tobool tocrlf toid toip toip6 tolf
    tonsec tonum tostr totime typeof while""".split()
)

#: the manual's keywords, which cannot name a variable
KEYWORDS = frozenset({"and", "or", "in"})

#: menu commands whose arguments are a query over the menu's items, where
#: `$name` of a property reads the item's property (Scripting, "Reserved
#: variable names")
QUERY_VERBS = frozenset({"find", "print"})

#: read-only properties common to item menus, which the vocabulary (settable
#: parameters) does not list
READ_ONLY_PROPERTIES = frozenset({"type", "running", "dynamic", "invalid", "active", "slave", "inactive", "status"})
