#!/bin/bash
# Exits 0 but makes the kernel log look like a WARN: run.sh must fail.
echo "WARNING: scws vm selftest fake warning" >/dev/kmsg
exit 0
