# 2026-11-30 11:40:02 by RouterOS 7.16
# model = hAP ax3
/interface bridge
add name=bridge-lan
/interface wireguard
add listen-port=51820 mtu=1420 name=wg-rw
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/interface list member
add interface=ether1 list=WAN
add interface=bridge-lan list=LAN
add interface=wg-rw list=LAN
/interface wireguard peers
add allowed-address=10.99.0.2/32 interface=wg-rw name=laptop public-key="kF4yqTVp8Yt0x6xgY5b3bLl0x8Z2hQvS9yR7mPqWdEo="
add allowed-address=10.99.0.3/32 interface=wg-rw name=phone public-key="Jq6a0yVnB4mUo2T3s1r9dX0cFhGkLpZwQeRtYuIoPa8="
/ip address
add address=192.168.50.1/24 interface=bridge-lan
add address=10.99.0.1/24 interface=wg-rw
/ip pool
add name=lan-pool ranges=192.168.50.100-192.168.50.200
/ip dhcp-server
add address-pool=lan-pool interface=bridge-lan name=lan-dhcp
/ip dhcp-server network
add address=192.168.50.0/24 dns-server=192.168.50.1 gateway=192.168.50.1
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input in-interface-list=WAN protocol=udp dst-port=51820 comment="WireGuard"
add action=accept chain=input in-interface=wg-rw comment="road warriors manage the router"
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=accept chain=forward in-interface=wg-rw out-interface-list=WAN
add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip service
set telnet disabled=yes
set ftp disabled=yes
set api disabled=yes
/system identity
set name=rw-gw
