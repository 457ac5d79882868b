#!/bin/bash
# Crashes the kernel: run.sh must fail (no status) and show the console.
echo c >/proc/sysrq-trigger
