# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# scripts/check: net/ipn built as modules the way a distribution builds
# them, with Debian's amd64 configuration.  Sourced, not run.
#
# The configuration is linux-config-7.3's config.amd64_none_amd64 (the
# one Debian's linux-image-7.3-amd64 is built with) plus CONFIG_IPN=m and
# CONFIG_IPN_VDESWITCH=m.  Building the whole kernel with it would take
# hours here, so the modules are built against modules_prepare and the
# Module.symvers of Debian's own build, from the linux-headers package of
# the same version; the series exports no new symbol from built-in code.
# BTF for modules needs that vmlinux too and is turned off.

# The Debian amd64 configuration and Module.symvers, in $CACHE/distro
distro_inputs() {
	local dir=$CACHE/distro x deb hdr

	if [ -s "$dir/config" ] && [ -s "$dir/Module.symvers" ]; then
		return
	fi
	mkdir -p "$dir"
	x=$(mktemp -d)
	deb=$(debian_download linux-config-7.3)
	dpkg-deb -x "$deb" "$x"
	xz -dc "$x"/usr/src/linux-config-7.3/config.amd64_none_amd64.xz > "$dir/config.tmp"
	hdr=$(backports_apt cache pkgnames linux-headers-7.3 |
	      grep -E '^linux-headers-7\.3\.[0-9]+\+[a-z0-9]+-amd64$' | sort -V | tail -n 1)
	[ -n "$hdr" ] || die "no linux-headers-7.3.*-amd64 package in trixie-backports"
	deb=$(debian_download "$hdr")
	dpkg-deb -x "$deb" "$x"
	cp "$x/usr/src/$hdr/Module.symvers" "$dir/Module.symvers"
	mv "$dir/config.tmp" "$dir/config"
	rm -rf "$x"
}

check_distro() {
	local out=$BUILD/distro log=$LOGS/distro.log rc=0 opt

	distro_inputs
	mkdir -p "$out"
	cp "$CACHE/distro/config" "$out/.config"
	"$TREE/scripts/config" --file "$out/.config" -m IPN -m IPN_VDESWITCH \
		-d DEBUG_INFO_BTF_MODULES
	{
		kmake O="$out" olddefconfig &&
		kmake O="$out" modules_prepare &&
		cp "$CACHE/distro/Module.symvers" "$out/" &&
		kmake O="$out" M=net/ipn MO="$out/ipn" W=1
	} > "$log" 2>&1 || rc=1
	for opt in IPN IPN_VDESWITCH; do
		grep -qx "CONFIG_$opt=m" "$out/.config" || { echo "CONFIG_$opt=m did not stick"; rc=1; }
	done
	if grep -a -i -E 'warning|error|skipping' "$log"; then
		rc=1
	fi
	# socket(AF_IPN, ...) and protocol 2 load them on demand
	modinfo -F alias "$out/ipn/ipn.ko" 2>/dev/null | grep -qx net-pf-46 || rc=1
	modinfo -F alias "$out/ipn/kvde_switch.ko" 2>/dev/null |
		grep -qx net-pf-46-proto-2 || rc=1
	[ $rc -eq 0 ] || tail -n 20 "$log"
	result "Debian amd64 config: net/ipn as modules, W=1, no warning" $rc
}
