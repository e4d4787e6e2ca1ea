# 2026-11-30 09:12:44 by RouterOS 7.15.3
# model = CCR2004-1G-12S+2XS
/interface bridge
add name=lo0
/interface vlan
add interface=sfp-sfpplus1 name=vlan100-transit vlan-id=100
add interface=sfp-sfpplus2 name=vlan200-customers vlan-id=200
/interface list
add name=WAN
add name=LAN
add name=MGMT
/interface list member
add interface=vlan100-transit list=WAN
add interface=vlan200-customers list=LAN
add interface=ether1 list=MGMT
/ip address
add address=198.51.100.2/30 interface=vlan100-transit
add address=203.0.113.1/24 interface=vlan200-customers
add address=10.255.0.1/24 interface=ether1
add address=192.0.2.1/32 interface=lo0
/ip route
add dst-address=0.0.0.0/0 gateway=198.51.100.1
/ip firewall address-list
add address=10.255.0.0/24 list=noc
add address=192.0.2.0/24 list=noc
add address=0.0.0.0/8 list=bogons
add address=10.0.0.0/8 list=bogons
add address=127.0.0.0/8 list=bogons
add address=169.254.0.0/16 list=bogons
add address=172.16.0.0/12 list=bogons
add address=192.168.0.0/16 list=bogons
/ip firewall raw
add action=drop chain=prerouting in-interface-list=WAN src-address-list=bogons comment="bogons from transit"
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input src-address-list=noc comment="NOC"
add action=accept chain=input protocol=tcp dst-port=179 src-address=198.51.100.1 comment="BGP from transit"
add action=accept chain=input in-interface=ether1 protocol=tcp dst-port=22 comment="SSH from mgmt port"
add action=drop chain=input
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward src-address-list=bogons in-interface-list=WAN
add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
add action=accept chain=forward in-interface-list=WAN out-interface-list=LAN dst-address=203.0.113.0/24
add action=drop chain=forward
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www disabled=yes
set api disabled=yes
set api-ssl disabled=yes
/system identity
set name=edge1
