# Create a new bridge "lan-bridge" to serve the customer LAN
/interface bridge
add name=lan-bridge

# Configure PPPoE-client with its assigned useranme and password
# Note that add-default-route parameter is set to yes which creates a dynamic default route
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out \
    password=isp1user1 service-name=pppoe-service user=isp1user1

# Configure WireGuard interface
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1

# Create an IP Pool for DHCP server to serve its LAN
/ip pool
add name=dhcp1 ranges=192.168.1.200-192.168.1.254

# Configure the DHCP server
/ip dhcp-server
add address-pool=dhcp1 interface=lan-bridge name=dhcp1

# Add ether6,7 and 8 port to lan-bridge
/interface bridge port
add bridge=lan-bridge interface=ether6
add bridge=lan-bridge interface=ether7
add bridge=lan-bridge interface=ether8

# Configure WireGuard peers mtr3 to initiate the VPN tunnel
/interface wireguard peers
add allowed-address=10.0.0.2/32,192.168.3.0/24 endpoint-address=122.0.0.253 \
    endpoint-port=13231 interface=wireguard1 persistent-keepalive=25s \
    public-key="wFKr1GSkYTcXLLeyAnlG3Qe1c3TLqycB9Lwkgqbu3DM="

# Assign IP addresses for lan-bridge and WireGuard interfaces
/ip address
add address=192.168.1.1/24 interface=lan-bridge network=192.168.1.0
add address=10.0.0.1/30 interface=wireguard1 network=10.0.0.0

# Disable dhcp-client on ether1 (default)
/ip dhcp-client
add disabled=yes interface=ether1

# Configure DHCP server network paramenters
/ip dhcp-server network
add address=192.168.1.0/24 dns-server=1.1.1.1 gateway=192.168.1.1

# Configure masquerade NAT firewall rule for the internet breakout
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out
# Forward tcp 8080 on the uplink to the web server on the LAN
add action=dst-nat chain=dstnat dst-port=8080 in-interface=pppoe-out \
    protocol=tcp to-addresses=192.168.1.10 to-ports=80

# The router itself: replies, ping and WireGuard from the uplink, all from the LAN
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input dst-port=13231 in-interface=pppoe-out protocol=udp
add action=drop chain=input in-interface=pppoe-out
# Through it: the LAN out, mtr3's LAN only for SSH, nothing new from the uplink but the port forward
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-state=invalid
add action=accept chain=forward in-interface=lan-bridge
add action=accept chain=forward dst-address=192.168.1.0/24 dst-port=22 \
    in-interface=wireguard1 protocol=tcp src-address=192.168.3.0/24
add action=drop chain=forward in-interface=wireguard1
add action=drop chain=forward connection-nat-state=!dstnat \
    in-interface=pppoe-out

# Configure a static route to mtr3's LAN network thru wireguard1 interface
/ip route
add dst-address=192.168.3.0/24 gateway=wireguard1

# Set system name to mtr1
/system identity
set name=mtr1
