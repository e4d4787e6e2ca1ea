# 2024-05-02 by RouterOS 7.14.3
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
/ip address
add address=192.0.2.2/30 interface=ether1
add address=198.51.100.2/30 interface=ether2
/ip route
add comment=wan1 distance=1 gateway=192.0.2.1
add comment=wan2 distance=2 gateway=198.51.100.1
/system script
add name=wan-failover source=":global wanState\r\
    \n:local pingOk [/ping 8.8.8.8 interface=ether1 count=5]\r\
    \n:if (\$pingOk < 3) do={\r\
    \n  :local newState \"down\"\r\
    \n} else={\r\
    \n  :local newState \"up\"\r\
    \n}\r\
    \n:if (\$newState != \$wanState) do={\r\
    \n  :local wanState \$newState\r\
    \n  /ip route set [find comment=wan1] disabled=(\$wanState = \"down\")\r\
    \n  :log warning \"wan1 is \$wanState\"\r\
    \n}"
/tool netwatch
add host=192.0.2.1 interval=30s down-script=":if (\$wanState = \"down\") do={ :return false }\r\
    \n/system script run wan-failover" up-script="/system script run wan-failover"
