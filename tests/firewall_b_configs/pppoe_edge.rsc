# 2026-11-30 14:02:51 by RouterOS 7.16.2
# model = RB5009UG+S+
/interface bridge
add name=bridge-lan
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 use-peer-dns=yes user=customer42@isp.example
/interface vlan
add interface=bridge-lan name=vlan30-guest vlan-id=30
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=ether4
/interface list member
add interface=ether1 list=WAN
add interface=pppoe-out1 list=WAN
add interface=bridge-lan list=LAN
add interface=vlan30-guest list=LAN
/ip address
add address=192.168.10.1/24 interface=bridge-lan
add address=192.168.30.1/24 interface=vlan30-guest
/ip pool
add name=lan-pool ranges=192.168.10.100-192.168.10.199
add name=guest-pool ranges=192.168.30.100-192.168.30.199
/ip dhcp-server
add address-pool=lan-pool interface=bridge-lan name=lan-dhcp
add address-pool=guest-pool interface=vlan30-guest name=guest-dhcp
/ip dhcp-server network
add address=192.168.10.0/24 dns-server=192.168.10.1 gateway=192.168.10.1
add address=192.168.30.0/24 dns-server=192.168.30.1 gateway=192.168.30.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=drop chain=input in-interface-list=!LAN
add action=jump chain=forward jump-target=guest in-interface=vlan30-guest
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
add action=drop chain=guest out-interface=bridge-lan
add action=return chain=guest
/ip firewall mangle
add action=mark-packet chain=forward in-interface=vlan30-guest new-packet-mark=guest-up passthrough=no
add action=mark-packet chain=forward new-packet-mark=guest-down out-interface=vlan30-guest passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.10.20 out-interface=bridge-lan protocol=tcp src-address=192.168.10.0/24 comment="hairpin to the NAS"
add action=dst-nat chain=dstnat dst-address-type=local dst-port=8443 in-interface-list=!LAN protocol=tcp to-addresses=192.168.10.20 to-ports=443 comment="NAS from the internet"
add action=dst-nat chain=dstnat dst-address-type=local dst-port=8443 protocol=tcp src-address=192.168.10.0/24 to-addresses=192.168.10.20 to-ports=443 comment="NAS from the LAN"
/queue tree
add max-limit=20M name=guest-up packet-mark=guest-up parent=global
add max-limit=50M name=guest-down packet-mark=guest-down parent=global
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www disabled=yes
set api disabled=yes
set api-ssl disabled=yes
/system identity
set name=home-edge
