#!/bin/bash
# Prints a line and exits 3: run.sh must exit 3 and show the line.
echo "hello from the VM: kernel $(uname -r), cwd $PWD, SCWS_IN_VM=$SCWS_IN_VM, host $(hostname)"
echo "this went to stderr" >&2
exit 3
