#!/bin/bash
# Writes to /etc, /tmp, /var, /root and the checkout; none of it may reach the host.
set -e
echo guest >/etc/scws-vm-selftest
echo guest >>/etc/hosts
echo guest >/tmp/scws-vm-selftest
echo guest >/var/scws-vm-selftest
echo guest >/root/scws-vm-selftest
echo guest >"$PWD/scws-vm-selftest"
mkdir -p /usr/local/scws-vm-selftest
rm -f /etc/motd
grep -q guest /etc/hosts
[ ! -e /etc/motd ]
echo "wrote /etc /tmp /var /root /usr/local and $PWD"
