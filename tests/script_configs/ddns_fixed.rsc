# 2024-05-02 by RouterOS 7.14.3
/ip address
add address=192.168.88.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/system script
add name=ddns-update policy=read,write,test source=":global lastIP\r\
    \n:local wanAddress [/ip address get [find interface=ether1] address]\r\
    \n:local currentIP [:pick \$wanAddress 0 [:find \$wanAddress \"/\"]]\r\
    \n:local host \"router.example.net\"\r\
    \n:if (\$currentIP != \$lastIP) do={\r\
    \n  /tool fetch url=\"https://dyn.example.net/nic/update\?hostname=\$host&myip=\$currentIP\" keep-result=no\r\
    \n  :set lastIP \$currentIP\r\
    \n  :log info \"ddns: \$host is now \$currentIP\"\r\
    \n}"
add name=ddns-report policy=read,test source=":global lastIP\r\
    \n:log info \"ddns last address: \$lastIP\""
/system scheduler
add interval=5m name=ddns on-event="/system script run ddns-update\r\
    \n:log debug \"ddns run at \$[/system clock get time]\"" policy=read,write,test
