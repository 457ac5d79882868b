#!/bin/bash
# Output must reach the host while the script still runs.
echo first
sleep 4
echo second
