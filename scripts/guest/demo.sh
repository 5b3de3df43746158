#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the demo VM.
echo "== $(uname -r)"
/extra/ipn-demo
rc=$?
echo "== kernel log since boot, IPN lines:"
dmesg | grep -i ipn
exit $rc
