# 2024-05-02 by RouterOS 7.14.3
/system identity
set name=branch-gw
/tool e-mail
set from=router@example.net port=587 server=192.0.2.25 tls=starttls user=router
{
  :local backupName ("backup-" . [/system identity get name])
  :local keepDays 14
  /system scheduler
  add interval=1d name=nightly-backup start-time=03:00:00 policy=read,write,policy,test,sensitive \
      on-event=":local file-name (\$backupName . \".backup\")\r\
      \n/system backup save name=\$backupName dont-encrypt=no\r\
      \n:delay 5s\r\
      \n/tool e-mail send to=noc@example.net subject=\"backup\" file=\$\"file-name\""
}
:global sendMail do={
  /tool e-mail send to=$to subject=$subject body=$body
}
$sendMail to="noc@example.net" subjet="backups scheduled" body="nightly at 03:00"
/system script
add name=cleanup-backups policy=read,write source=":foreach f in=[/file find where type=backup] do={\r\
    \n  :if ([/file get \$f creation-time] < [:timestamp]) do={ /file remove \$f }\r\
    \n}\r\
    \n:break"
/ip firewall filter
add action=accept chain=input connection-state=established,related # keep sessions
#add action=drop chain=input in-interface=ether1 \
    protocol=tcp dst-port=22
