#!/bin/sh
# A member of the store, in a busybox container: joins the members already healthy when it was
# made (/etc/store.conf, rendered by Spew from store.conf.spewtmpl), then serves the member list.
. /etc/store.conf
echo "$MEMBER" > /www/members
for peer in $(echo "$PEERS" | tr ',' ' '); do
    wget -q -O /dev/null "http://$peer/cgi-bin/join?$MEMBER" && echo "$peer" >> /www/members
done
echo "$MEMBER joined ${PEERS:-nobody: first member}"
exec httpd -f -p "$PORT" -h /www
