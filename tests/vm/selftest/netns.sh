#!/bin/bash
# Modules come from the host root; namespaces work.
set -e
modprobe veth
grep -q '^veth ' /proc/modules
ip netns add x
ip link add veth-a type veth peer name veth-b
ip link set veth-b netns x
ip addr add 10.9.0.1/24 dev veth-a && ip link set veth-a up
ip -n x addr add 10.9.0.2/24 dev veth-b && ip -n x link set veth-b up && ip -n x link set lo up
/bin/busybox ping -c 1 -W 5 10.9.0.2 >/dev/null   # no iputils on the host
[ "$(unshare -n ip -o link | wc -l)" = 1 ]   # only lo
echo "modprobe veth, ip netns, veth ping and unshare -n all work"
