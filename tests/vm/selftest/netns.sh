# Modules come from the host root; namespaces work.
set -e
modprobe veth
grep -q '^veth ' /proc/modules
ip netns add x
ip link add a type veth peer name b
ip link set b netns x
ip addr add 10.9.0.1/24 dev a && ip link set a up
ip -n x addr add 10.9.0.2/24 dev b && ip -n x link set b up && ip -n x link set lo up
ping -c 1 -W 5 10.9.0.2 >/dev/null
unshare -n sh -c '[ "$(ls /sys/class/net)" = lo ]'
echo "modprobe veth, ip netns, veth ping and unshare -n all work"
