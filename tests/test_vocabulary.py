"""The RouterOS vocabulary data and its loader."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from rosc.vocabulary import tree as vocabulary
from rosc.vocabulary.value_types import REF_KINDS, check, ref_kind

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = sorted((ROOT / "samples" / "article").glob("*.rsc"))
CORPUS = ROOT.parent / "shared" / "corpus" / "public"

# ------------------------------------------------------ sample exports
# Typical /export output (default configurations plus common additions).

EXPORT_V6 = r"""
# jan/02/1970 00:09:31 by RouterOS 6.49.10
# software id = ABCD-1234
#
/interface bridge
add admin-mac=64:D1:54:00:00:01 auto-mac=no comment=defconf name=bridge
/interface wireless
set [ find default-name=wlan1 ] band=2ghz-b/g/n channel-width=20/40mhz-XX disabled=no distance=indoors frequency=auto installation=indoor mode=ap-bridge ssid=MikroTik wireless-protocol=802.11
/interface ethernet
set [ find default-name=ether1 ] advertise=10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=me password=secret use-peer-dns=yes
/interface list
add comment=defconf name=WAN
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
add authentication-types=wpa2-psk mode=dynamic-keys name=home supplicant-identity=MikroTik wpa2-pre-shared-key=secretsecret
/ip hotspot profile
set [ find default=yes ] html-directory=flash/hotspot
/ip ipsec profile
set [ find default=yes ] dpd-interval=2m dpd-maximum-failures=5
/ip ipsec proposal
set [ find default=yes ] enc-algorithms=aes-256-cbc,aes-128-cbc pfs-group=none
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=dhcp disabled=no interface=bridge name=defconf
/ppp profile
add change-tcp-mss=yes local-address=10.10.10.1 name=vpn remote-address=vpn-pool use-encryption=yes
/routing ospf instance
set [ find default=yes ] distribute-default=if-installed-as-type-1 redistribute-connected=as-type-1 router-id=10.0.0.1
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface l2tp-server server
set authentication=mschap2 default-profile=vpn enabled=yes use-ipsec=yes ipsec-secret=abc
/interface list member
add comment=defconf interface=bridge list=LAN
/interface sstp-server server
set default-profile=default-encryption
/interface ovpn-server server
set auth=sha1,md5
/ip address
add address=192.168.88.1/24 comment=defconf interface=ether2 network=192.168.88.0
/ip cloud
set ddns-enabled=yes
/ip dhcp-client
add comment=defconf dhcp-options=hostname,clientid disabled=no interface=ether1
/ip dhcp-server lease
add address=192.168.88.20 client-id=1:0:c:29:aa:bb:cc mac-address=00:0C:29:AA:BB:CC server=defconf
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf gateway=192.168.88.1 netmask=24
/ip dns
set allow-remote-requests=yes cache-size=4096KiB servers=1.1.1.1,8.8.8.8
/ip firewall address-list
add address=10.0.0.0/8 list=rfc1918
/ip firewall filter
add action=add-src-to-address-list address-list=port-scanners address-list-timeout=2w chain=input protocol=tcp psd=21,3s,3,1
add action=drop chain=input connection-state=invalid
add action=accept chain=input src-address-list=rfc1918 tcp-flags=syn,!ack
/ip firewall mangle
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether1 new-connection-mark=isp1 passthrough=yes
add action=mark-routing chain=prerouting connection-mark=isp1 new-routing-mark=to_isp1 passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
/ip firewall service-port
set sip disabled=yes
/ip route
add check-gateway=ping distance=1 gateway=10.0.0.1 routing-mark=to_isp1
add distance=1 dst-address=10.0.0.0/8 type=blackhole
/ip route rule
add action=lookup-only-in-table routing-mark=to_isp1 table=to_isp1
/ip service
set telnet disabled=yes
set winbox address=192.168.88.0/24
/ip upnp
set enabled=yes
/ip upnp interfaces
add interface=ether1 type=external
/routing ospf network
add area=backbone network=10.0.0.0/24
/routing ospf interface
add interface=ether2 network-type=point-to-point passive=yes
/routing bgp instance
set default as=65001 redistribute-connected=yes router-id=10.0.0.1
/routing bgp peer
add name=isp remote-address=10.0.0.2 remote-as=65002 ttl=default
/routing filter
add action=discard chain=isp-in prefix=10.0.0.0/8 prefix-length=8-32
/snmp community
set [ find default=yes ] addresses=192.168.88.0/24
/system clock
set time-zone-name=Europe/Riga
/system identity
set name=router
/system logging
add action=remote topics=error,!debug
/system logging action
set 3 remote=192.168.88.5
/system ntp client
set enabled=yes primary-ntp=1.1.1.1 server-dns-names=pool.ntp.org
/system routerboard settings
set auto-upgrade=yes silent-boot=no
/system scheduler
add interval=1d name=reboot on-event="/system reboot" policy=reboot,read,write start-date=jan/01/1970 start-time=04:00:00
/tool bandwidth-server
set enabled=no
/tool graphing interface
add
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
/tool netwatch
add down-script="/log info down" host=8.8.8.8 up-script="/log info up"
/tool romon
set enabled=yes
/user group
set full policy=local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,dude,tikapp
/queue tree
add max-limit=50M name=down parent=global packet-mark=down-mark queue=pcq-download-default
/port
set 0 name=serial0
/system console
set [ find port=serial0 ] disabled=yes
"""

EXPORT_V7 = r"""
# 2024-05-01 12:00:00 by RouterOS 7.14.3
# software id = ABCD-1234
#
# model = C53UiG+5HPaxD2HPaxD
/interface bridge
add admin-mac=48:A9:8A:00:00:01 auto-mac=no comment=defconf name=bridge vlan-filtering=yes
/interface wifi
set [ find default-name=wifi1 ] channel.band=5ghz-ax channel.skip-dfs-channels=10min-cac channel.width=20/40/80mhz configuration.mode=ap configuration.ssid=MikroTik-5 disabled=no security.authentication-types=wpa2-psk,wpa3-psk security.ft=yes security.ft-over-ds=yes
set [ find default-name=wifi2 ] channel.band=2ghz-ax channel.skip-dfs-channels=10min-cac channel.width=20/40mhz configuration.mode=ap configuration.ssid=MikroTik disabled=no security.authentication-types=wpa2-psk,wpa3-psk
/interface vlan
add interface=bridge name=vlan10 vlan-id=10
/interface wireguard
add listen-port=13231 mtu=1420 name=wg0
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=default-dhcp interface=bridge lease-time=10m name=defconf
/disk settings
set auto-media-interface=bridge auto-media-sharing=yes auto-smb-sharing=yes
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=wifi1
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 vlan-ids=10,20-30
/ip neighbor discovery-settings
set discover-interface-list=LAN
/ipv6 settings
set disable-ipv6=yes max-neighbor-entries=8192
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/interface wireguard peers
add allowed-address=10.9.0.2/32 interface=wg0 name=phone public-key="abc="
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-client
add comment=defconf interface=ether1
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=192.168.88.1 comment=defconf name=router.lan
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept in ipsec policy" ipsec-policy=in,ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
add action=accept chain=input dst-port=13231 protocol=udp
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8080 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10 to-ports=80
/ip firewall mangle
add action=mark-routing chain=prerouting new-routing-mark=to-isp2 passthrough=no src-address=192.168.88.50
/ip route
add disabled=no distance=1 dst-address=0.0.0.0/0 gateway=10.0.0.1 routing-table=to-isp2 scope=30 suppress-hw-offload=no target-scope=10
/routing table
add disabled=no fib name=to-isp2
/ipv6 firewall address-list
add address=::/128 comment="defconf: unspecified address" list=bad_ipv6
/ipv6 firewall filter
add action=accept chain=input comment="defconf: accept UDP traceroute" dst-port=33434-33534 protocol=udp
add action=accept chain=input comment="defconf: accept DHCPv6-Client prefix delegation." dst-port=546 protocol=udp src-address=fe80::/10
add action=drop chain=input comment="defconf: drop everything else not coming from LAN" in-interface-list=!LAN
add action=drop chain=forward comment="defconf: drop packets with bad src ipv6" src-address-list=bad_ipv6
add action=accept chain=forward comment="defconf: accept HIP" protocol=139
add action=accept chain=forward comment="defconf: accept ipsec AH" protocol=ipsec-ah
/routing ospf instance
add disabled=no name=default-v2 router-id=10.255.0.1
/routing ospf area
add disabled=no instance=default-v2 name=backbone-v2
/routing ospf interface-template
add area=backbone-v2 disabled=no interfaces=bridge networks=192.168.88.0/24 passive
/routing bgp connection
add as=65001 disabled=no local.role=ebgp name=peer1 output.network=bgp-networks remote.address=10.1.1.1/32 .as=65002 routing-table=main templates=default
/system clock
set time-zone-name=Europe/Riga
/system identity
set name=hap
/system note
set show-at-login=no
/system ntp client
set enabled=yes
/system ntp client servers
add address=pool.ntp.org
/system scheduler
add interval=1d name=backup on-event="/system backup save name=daily" policy=ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon start-date=2024-01-01 start-time=03:00:00
/system script
add dont-require-permissions=no name=hello owner=admin policy=ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon source=":log info \"hello\""
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
/tool netwatch
add disabled=no down-script="" host=8.8.8.8 http-codes="" interval=10s test-script="" type=icmp up-script=""
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www address=192.168.88.0/24
set api disabled=yes
/ip ssh
set strong-crypto=yes
/user group
add name=monitor policy=local,ssh,read,winbox,!telnet,!ftp,!reboot,!write,!policy,!test,!password,!web,!sniff,!sensitive,!api,!romon,!rest-api
/snmp
set enabled=yes trap-version=2
/queue simple
add max-limit=10M/50M name=guest target=192.168.99.0/24
/queue type
add kind=pcq name=pcq-down pcq-classifier=dst-address pcq-rate=5M
/container
add interface=veth1 remote-image=pihole/pihole:latest root-dir=disk1/pihole envlist=pihole_envs mounts=dnsmasq
/interface veth
add address=172.17.0.2/24 gateway=172.17.0.1 name=veth1
/certificate settings
set crl-download=no
"""



@pytest.fixture(scope="module")
def voc() -> vocabulary.Vocabulary:
    return vocabulary.load()


# --------------------------------------------------------------- extractor
# A deliberately small, regex-based reader of .rsc text: the real parser is
# written elsewhere and these tests must not depend on it.

_CONT = re.compile(r"\\[ \t]*\r?\n[ \t]*")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_ARG = re.compile(r"(?:^|\s)([A-Za-z0-9][A-Za-z0-9._/-]*)=(\S*)")


def _strip_brackets(line: str) -> str:
    prev = None
    while prev != line:
        prev, line = line, re.sub(r"\[[^\[\]]*\]", " ", line)
    return line


def extract(text: str, voc: vocabulary.Vocabulary):
    """Yield (lineno, menu_path, verb, [(name, value)]) for each command line.

    menu_path is None (and verb the unknown words) when the line names a menu
    that is not known.  Quoted values come back without their quotes.
    """
    text = _CONT.sub(" ", text)
    menu: tuple[str, ...] | None = ()
    depth = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        strings: list[str] = []

        def hide(m: re.Match) -> str:
            strings.append(m.group(0)[1:-1])
            return f"\x00{len(strings) - 1}\x00"

        line = _strip_brackets(_QUOTED.sub(hide, raw)).strip()
        opened = line.count("{") - line.count("}")
        if depth > 0 or not line or line[0] in ":#{}" or "{" in line:
            depth = max(0, depth + opened)
            continue
        words = line.split()
        if words[0].startswith("/"):
            head = words[0][1:].split("/")
            words = [w for w in head if w] + words[1:]
            path: tuple[str, ...] = ()
        elif menu is None:
            continue
        else:
            path = menu
        i = 0
        while i < len(words) and "=" not in words[i] and voc.is_menu_prefix(path + (words[i],)):
            path += (words[i],)
            i += 1
        rest = words[i:]
        if line.startswith("/"):
            menu = path
        if menu is None or not rest:
            continue
        here = voc.menu(path)
        unknown_menu = line.startswith("/") and len(rest) == 1 and here is not None \
            and rest[0] not in here.commands | vocabulary.GENERIC_VERBS
        if "=" in rest[0] or here is None or unknown_menu:
            yield lineno, None, " ".join(path + tuple(rest[:1])), []
            if line.startswith("/"):
                menu = None
            continue
        args = [
            (m.group(1), re.sub(r"\x00(\d+)\x00", lambda x: strings[int(x.group(1))], m.group(2)))
            for m in _ARG.finditer(" " + " ".join(rest[1:]))
        ]
        yield lineno, vocabulary.normalize_path(path), rest[0], args


def problems_in(text: str, voc: vocabulary.Vocabulary, values: bool = False) -> list[str]:
    """Unknown menus, commands and add/set parameters (and bad values)."""
    problems = []
    for lineno, path, verb, args in extract(text, voc):
        if path is None:
            problems.append(f"line {lineno}: unknown menu /{verb}")
            continue
        menu = voc.menu(path)
        if verb not in menu.commands and verb not in vocabulary.GENERIC_VERBS:
            problems.append(f"line {lineno}: {path}: unknown command or menu {verb}")
            continue
        if verb not in ("add", "set"):
            continue
        for name, value in args:
            p = menu.param(name)
            if p is None:
                problems.append(f"line {lineno}: {path} {verb}: unknown parameter {name}")
            elif values and "$" not in value and (err := p.check(value)):
                problems.append(f"line {lineno}: {path} {name}: {err}")
    return problems


def unknown_names(text: str, voc: vocabulary.Vocabulary) -> list[str]:
    return problems_in(text, voc)


def test_extractor_handles_continuations_and_scripts(voc):
    text = (
        "# comment\n/ip address\nadd address=1.2.3.4/24 \\ \n    interface=ether1\n"
        ':local x 1\n:if ($x = 1) do={\n  /log info "x=1"\n}\n'
        '/ip firewall filter add chain=input comment="a b=c" src-address-list=[find x=1]\n'
    )
    rows = list(extract(text, voc))
    assert rows[0] == (3, "/ip address", "add", [("address", "1.2.3.4/24"), ("interface", "ether1")])
    assert [n for n, _ in rows[-1][3]] == ["chain", "comment", "src-address-list"]
    assert rows[-1][3][1] == ("comment", "a b=c")
    assert not unknown_names(text, voc)
    # export wraps long strings with a backslash continuation inside the quotes
    wrapped = '/system script\nadd name=s source=":local a 1\\r\\\n    \\n:put \\$a" policy=read\n'
    (row,) = extract(wrapped, voc)
    assert [n for n, _ in row[3]] == ["name", "source", "policy"]
    assert unknown_names("/ip address add adress=1.2.3.4/24", voc)
    assert unknown_names("/ip adress add address=1.2.3.4/24", voc)


# --------------------------------------------------------------- loading


def test_loads_and_is_cached(voc):
    assert len(voc) > 200
    assert vocabulary.load() is voc


def test_load_time_is_small():
    vocabulary.load.cache_clear()
    t = time.perf_counter()
    vocabulary.load()
    assert time.perf_counter() - t < 1.0


def test_every_file_is_documented():
    folder = vocabulary.vocabulary_dir()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for f in folder.glob("*.toml"):
        assert f.name in readme, f"{f.name} is not listed in README.md"


def test_types_defaults_and_refs_are_consistent(voc):
    bad = []
    for path in voc.menus:
        menu = voc.menu(path)
        specs = [menu, *menu.command_specs.values()]
        for spec in specs:
            for p in spec.params.values():
                kind = ref_kind(p.type)
                assert kind is None or kind in REF_KINDS
                if p.default not in (None, "") and check(p.type, p.default, p.negatable):
                    bad.append(f"{path} {p.name}: default {p.default!r}: {check(p.type, p.default)}")
                assert p.version in (None, "6", "7"), (path, p.name)
        assert menu.version in (None, "6", "7"), path
    assert not bad, "\n".join(bad)


def test_bad_data_is_reported():
    with pytest.raises(vocabulary.VocabularyError, match="unknown type"):
        vocabulary.build([("x.toml", {"menu": {"/a": {"params": {"p": {"type": "ipv5"}}}}})])
    with pytest.raises(vocabulary.VocabularyError, match="unknown fields"):
        vocabulary.build([("x.toml", {"menu": {"/a": {"colour": "red"}}})])
    with pytest.raises(vocabulary.VocabularyError, match="also defined"):
        vocabulary.build([("x.toml", {"menu": {"/a": {}}}), ("y.toml", {"menu": {"/a": {}}})])
    with pytest.raises(vocabulary.VocabularyError, match="unknown group"):
        vocabulary.build([("x.toml", {"menu": {"/a": {"groups": ["nope"]}}})])


# --------------------------------------------------------------- lookups


def test_menu_lookup_forms(voc):
    m = voc.menu("/ip address")
    assert m is voc.menu("ip address") is voc.menu("/ip/address") is voc.menu(("ip", "address"))
    assert m.key == ("address",)
    assert m.param("interface").ref_kind == "interface"
    assert m.param("address").type_text == "ipv4-prefix"
    assert m.param("disabled").default == "no"
    assert m.param("comment") is not None  # implicit on list menus
    assert voc.menu("/ip nothing") is None


def test_kinds_and_commands(voc):
    assert "add" in voc.menu("/ip address").commands
    dns = voc.menu("/ip dns")
    assert dns.kind == "settings" and "add" not in dns.commands and "set" in dns.commands
    assert "flush" not in dns.commands and "flush" in voc.menu("/ip dns cache").commands  # v7: /ip dns cache flush
    system = voc.menu("/system")
    assert {"reboot", "shutdown"} <= system.commands
    assert voc.menu("/system identity").param("name").default == "MikroTik"
    fetch = voc.menu("/tool").command("fetch")
    assert fetch.param("url") and fetch.param("dst-path")
    ping = voc.menu("/").command("ping")
    assert ping.positional == ("address",) and ping.param("count")
    assert vocabulary.GENERIC_VERBS >= {"add", "set", "remove", "print", "export", "find", "get"}
    # folders that only hold menus exist implicitly
    assert voc.menu("/ip firewall").kind == "dir"
    assert "export" in voc.commands("/ip firewall")


def test_is_menu_prefix(voc):
    assert voc.is_menu_prefix(())
    assert voc.is_menu_prefix(("interface",))
    assert voc.is_menu_prefix(("interface", "bridge", "port"))
    assert not voc.is_menu_prefix(("interface", "bridge", "port", "add"))
    assert not voc.is_menu_prefix(("tool", "fetch"))
    assert voc.is_menu_prefix(("ip", "route", "rule"))  # RouterOS 6 name


def test_aliases(voc):
    assert voc.resolve("/ip route rule") == "/routing rule"
    assert voc.resolve("/routing ospf network") == "/routing ospf interface-template"
    tmpl = voc.menu("/routing ospf network")
    assert tmpl.path == "/routing ospf interface-template"
    assert tmpl.param("network").name == "networks"
    assert tmpl.param("interface").name == "interfaces"
    # RouterOS 7 kept /routing ospf interface (running and static interfaces);
    # the RouterOS 6 settings it had are marked as such
    ospf_if = voc.menu("/routing ospf interface")
    assert ospf_if.path == "/routing ospf interface"
    assert ospf_if.param("network-type").version == "6" and ospf_if.param("cost").version is None
    assert voc.menu("/ip route").param("routing-mark").name == "routing-table"
    peer = voc.menu("/routing bgp peer")
    assert peer.path == "/routing bgp connection"
    assert peer.param("remote-address").name == "remote.address"
    assert voc.menu("/interface wifiwave2").path == "/interface wifi"
    assert voc.menu("/interface wireless").replaced_by == "/interface wifi"
    assert voc.menu("/system sntp client").path == "/system ntp client"


def test_versions(voc):
    assert voc.menu("/interface wireguard").version == "7"
    assert voc.menu("/routing filter").param("chain").version == "6"  # v6 rules; v7 has /routing filter rule
    assert voc.menu("/routing filter rule").param("rule") is not None
    assert voc.menu("/ip route").param("type").version == "6"


def test_suggestions(voc):
    assert voc.suggest_menu("/ip adress") == "/ip address"
    assert voc.suggest_menu("/interface brige port") == "/interface bridge port"
    assert voc.menu("/ip address").suggest_param("adress") == "address"
    assert voc.menu("/ip firewall nat").suggest_param("out-interfce") == "out-interface"
    assert voc.menu("/ip address").suggest_param("zzzzzz") is None
    assert voc.menu("/ip dns cache").suggest_command("flsh") == "flush"


def test_param_check(voc):
    nat = voc.menu("/ip firewall nat")
    assert nat.param("action").check("masquerade") is None
    assert "masquerade" in nat.param("action").check("masqurade")
    assert nat.param("src-address").check("!10.0.0.0/8") is None
    assert voc.menu("/ip address").param("address").check("!10.0.0.1/24")


def test_wifi_dotted_params(voc):
    wifi = voc.menu("/interface wifi")
    assert wifi.param("configuration.ssid") and wifi.param("security.passphrase")
    assert wifi.param("channel.band").check("5ghz-ax") is None


# --------------------------------------------------------------- coverage


@pytest.mark.parametrize("path", ARTICLE, ids=lambda p: p.name)
def test_article_samples_are_covered(voc, path):
    assert not unknown_names(path.read_text(encoding="utf-8"), voc)


def test_article_values_are_valid(voc):
    for path in ARTICLE:
        assert not problems_in(path.read_text(encoding="utf-8"), voc, values=True), path.name


@pytest.mark.parametrize("text", [EXPORT_V6, EXPORT_V7], ids=["v6", "v7"])
def test_typical_exports_are_covered(voc, text):
    assert not problems_in(text, voc, values=True)


def corpus_problems(folder: Path, voc: vocabulary.Vocabulary) -> list[str]:
    problems = []
    for f in sorted(folder.rglob("*.rsc")):
        text = f.read_text(encoding="utf-8", errors="replace")
        problems += [f"{f.relative_to(folder)}: {p}" for p in unknown_names(text, voc)]
    return problems


def test_corpus_reader(voc, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ok.rsc").write_text(EXPORT_V7, encoding="utf-8")
    (tmp_path / "bad.rsc").write_bytes(b"/ip address\nadd adress=1.1.1.1/24 \\\n  interfac=e1\xff\n")
    assert corpus_problems(tmp_path, voc) == [
        "bad.rsc: line 2: /ip address add: unknown parameter adress",
        "bad.rsc: line 2: /ip address add: unknown parameter interfac",
    ]


# Every VOC finding rosc makes on ../shared/corpus/public, read and confirmed:
# (file, line, rule) -> (how many, why they are right).  Anything else is a false alarm.
CONFIRMED_CORPUS_FINDINGS = {
    ("Pancho-uy__MK/backup-wan-dhcp.rsc", 9, "VOC001"):
        (1, "/interface dhcp-client does not exist: the DHCP client is /ip dhcp-client"),
    ("clonerdev__Iranian-Traffic-Management-for-MikroTik-RouterOS-with-Cloudflare-WARP-Integration/config.rsc", 27, "VOC001"):
        (1, "/interface warp-client is no RouterOS menu (no WARP client exists in RouterOS)"),
    ("clonerdev__Iranian-Traffic-Management-for-MikroTik-RouterOS-with-Cloudflare-WARP-Integration/config.rsc", 28, "VOC001"):
        (1, "/system tray is no RouterOS menu"),
    ("Pancho-uy__MK/NO USAR L2TP.rsc", 25, "VOC002"):
        (1, "dst_address= with an underscore: the parameter is dst-address"),
    ("astrixgame__routeros-scripting/scripts__setup-netboot-xyz.rsc", 2, "VOC002"):
        (1, "/ip tftp has no enabled= (TFTP serves what its entries allow)"),
    ("buulka__2025_2026-introduction_in_routing-k3323-ivanova_e_a/lab3__config__spb.rsc", 17, "VOC002"):
        (3, "three findings: `/ip dhcp-server enable dhcp-server` does not change the current menu, so the next `add address-pool=... disabled=... interface=...` runs in /ip pool"),
    ("cameronm77__mikrotik/scripts__letsencryptscript.rsc", 1, "VOC002"):
        (1, "run-count is a read-only counter of /system script"),
    ("gbudny93__RouterOS_Useful_Scripts/RouterOS_Recreate_Bridge.rsc", 12, "VOC002"):
        (2, "two findings: actual-mtu and l2mtu of /interface bridge are read-only"),
    ("ElMoix__Mikrotik-Configs-Backups/mikrotik-pppoe-config.rsc", 5, "VOC003"):
        (1, "vlan-id=ElMoix: a template placeholder where a number must be"),
    ("ElMoix__Mikrotik-Configs-Backups/mikrotik-pppoe-config.rsc", 45, "VOC003"):
        (1, "tcp-flags=sy: no such flag (syn)"),
    ("cameronm77__mikrotik/scripts__firewall.rsc", 29, "VOC003"):
        (1, "dst-port=XXXXX: a template placeholder"),
    ("cameronm77__mikrotik/scripts__nat.rsc", 8, "VOC003"):
        (1, "dst-port=XXXX: a template placeholder"),
    ("cameronm77__mikrotik/scripts__nat.rsc", 25, "VOC003"):
        (1, "dst-port=XXXX: a template placeholder"),
    ("cameronm77__mikrotik/scripts__nat.rsc", 26, "VOC003"):
        (1, "to-ports=XXXX: a template placeholder"),
    ("Disassembler0__mikrotik-scripts/automatic-upgrade__upgrade.rsc", 4, "VOC005"):
        (1, "check-for-update is check-for-updates"),
    ("Pancho-uy__MK/TIEMPO CORRIDO QUINCE MINUTOS.rsc", 112, "VOC005"):
        (1, "/s sch is /system scheduler"),
    ("Pancho-uy__MK/TIEMPO CORRIDO QUINCE MINUTOS.rsc", 113, "VOC005"):
        (4, "four findings: `a` is add, i= interval=, n= name=, on-e= on-event="),
    ("Pancho-uy__MK/TIEMPO CORRIDO QUINCE MINUTOS.rsc", 130, "VOC005"):
        (2, "two findings: start-d= start-date=, start-t= start-time="),
    ("Queritt__routeros-scripts/StatusReport__HealthLog.rsc", 28, "VOC005"):
        (1, "/system routerbo is /system routerboard"),
    ("Queritt__routeros-scripts/StatusReport__HealthLog.rsc", 29, "VOC005"):
        (1, "/system routerbo is /system routerboard"),
    ("defjoy9__netmanager/configExport-test-cyfrowe-7.15-2024-07-02-11-09-38.rsc", 84, "VOC005"):
        (1, "/sys is /system"),
    ("defjoy9__netmanager/test.rsc", 6, "VOC005"):
        (1, "/sys is /system"),
    ("facubertran__mikrotik_hadening/system.rsc", 3, "VOC005"):
        (1, "content= is contents= of /file"),
    ("pothi__mikrotik-scripts/ap-scripts__wifi-button.rsc", 7, "VOC005"):
        (1, "/int wir is /interface wireless where wireguard does not exist (no version header: not an error)"),
    ("pothi__mikrotik-scripts/ap-scripts__wifi-button.rsc", 8, "VOC005"):
        (1, "as line 7"),
    ("pothi__mikrotik-scripts/ap-scripts__wifi-button.rsc", 10, "VOC005"):
        (1, "as line 7"),
    ("pothi__mikrotik-scripts/ap-scripts__wifi-disable.rsc", 9, "VOC005"):
        (1, "/int is /interface"),
    ("pothi__mikrotik-scripts/ap-scripts__wifi-enable.rsc", 26, "VOC005"):
        (1, "/int is /interface"),
    ("pothi__mikrotik-scripts/ap-scripts__wifi-enable.rsc", 31, "VOC005"):
        (1, "/int is /interface"),
}


def corpus_vocabulary_findings(folder: Path) -> dict[tuple[str, int, str], int]:
    """How many VOC findings rosc lint makes, by (file, line, rule), on a folder."""
    from rosc.lint.config import Config
    from rosc.lint.engine import lint_bytes

    found: dict[tuple[str, int, str], int] = {}
    config = Config(select=["VOC"])
    for f in sorted(folder.rglob("*.rsc")):
        rel = str(f.relative_to(folder))
        for d in lint_bytes(f.read_bytes(), rel, config).diagnostics:
            key = (rel, d.span.line, d.code)
            found[key] = found.get(key, 0) + 1
    return found


def test_public_corpus_is_covered():
    """On real configs nobody here wrote, VOC001-VOC006 report only what was
    read and confirmed (before the generated tree: 244 VOC001, 96 VOC002)."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    if not any(CORPUS.rglob("*.rsc")):
        pytest.skip("no .rsc files in the public corpus")
    found = corpus_vocabulary_findings(CORPUS)
    unexpected = {k: n for k, n in found.items() if CONFIRMED_CORPUS_FINDINGS.get(k, (0,))[0] != n}
    missing = {k: n for k, (n, _why) in CONFIRMED_CORPUS_FINDINGS.items() if found.get(k) != n}
    assert not unexpected and not missing, f"unexpected: {unexpected}\nno longer found: {missing}"
    assert sum(n for (_f, _l, code), n in found.items() if code in ("VOC001", "VOC002")) == 11
