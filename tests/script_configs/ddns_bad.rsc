# 2024-05-02 by RouterOS 7.14.3
/ip address
add address=192.168.88.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/system script
add name=ddns-update policy=read,write,test source=":global lastIP\r\
    \n:local interface \"ether1\"\r\
    \n:local address [/ip address get [find interface=\$interface] address]\r\
    \n:local currentIP [:pick \$address 0 [:find \$address \"/\"]]\r\
    \n:local ddnsHost \"router.example.net\"\r\
    \n:if (\$curentIP != \$lastIP) do={\r\
    \n  /tool fetch url=\"https://dyn.example.net/nic/update\?hostname=\$ddnsHost&myip=\$currentIP\" keep-result=no\r\
    \n  :set lastIp \$currentIP\r\
    \n  :log info \"ddns: \$ddnsHost is now \$currentIP\"\r\
    \n}"
add name=ddns-report policy=read,test source=":log info \"ddns last address: \$lastIP\""
/system scheduler
add interval=5m name=ddns on-event="/system script run ddns-update\r\
    \n:log debug \"ddns run at $[/system clock get time] for $ddnsHost\"" policy=read,write,test
