# shellcheck shell=bash
# platform.sh — sourced by the system tests that look inside the flash0
# image (storage.sh, power.sh, storage_tamper.sh); needs $root (the tree).
#   plat MACRO   prints the value of a macro of platform/qemu-virt/platform.h
plat() {
	local e
	e=$(printf '#include "platform.h"\n%s\n' "$1" | cpp -P -I "$root/platform/qemu-virt" - |
		tail -1 | sed 's/UL//g')
	echo $((e))
}
