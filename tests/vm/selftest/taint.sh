#!/bin/bash
# taint.sh BITS: adds taint bits (e.g. 1024 = C must fail, 12288 = O|E must pass).
echo "$1" >/proc/sys/kernel/tainted
cat /proc/sys/kernel/tainted
