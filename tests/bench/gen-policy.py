#!/usr/bin/env python3
"""Writes the benchmark policies: one rule, and N rules mixing uid, label
and digest selectors with the rule that matches root last."""
import hashlib
import sys

out, n = sys.argv[1], int(sys.argv[2])
with open(out + "/acp-1.conf", "w") as f:
    f.write("default deny\nallow uid 0\n")
with open(out + "/acp-%d.conf" % n, "w") as f:
    f.write("default deny\n")
    for i in range(n - 1):
        kind = i % 3
        if kind == 0:
            f.write("deny uid %d\n" % (10000 + i))
        elif kind == 1:
            f.write("deny label bench.app.%d\n" % i)
        else:
            f.write("deny exe-sha256 %s\n" % hashlib.sha256(b"%d" % i).hexdigest())
    f.write("allow uid 0\n")
