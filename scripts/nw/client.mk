# client.mk — the compiler and flags for a Linux arm64 program over Debian's
# libteec, against the pinned sysroot in NW_SYSROOT (see scripts/nw/nw.mk,
# which includes this file; `make ta-kit` installs it as the kit's
# mk/client.mk with NW_SYSROOT set to this tree's cache):
#   NW_CC       cross compiler
#   NW_CFLAGS   compile flags (the sysroot's headers, tee_client_api.h among them)
#   NW_LDFLAGS  link flags (-L to libteec.so, -rpath-link for its DT_NEEDED)
#   NW_LDLIBS   libraries (-lteec)
NW_LIBDIR  ?= $(NW_SYSROOT)/usr/lib/aarch64-linux-gnu
NW_CC      ?= aarch64-linux-gnu-gcc
# Recursive on purpose: the compiler may be installed after this is read.
NW_SYSROOT_CFLAGS = --sysroot=$(NW_SYSROOT) -nostdinc \
	-isystem $(shell $(NW_CC) -print-file-name=include) \
	-isystem $(NW_SYSROOT)/usr/include/aarch64-linux-gnu -isystem $(NW_SYSROOT)/usr/include
NW_CFLAGS  ?= -O2 -g -Wall -Wextra -std=gnu11 $(NW_SYSROOT_CFLAGS)
NW_LDFLAGS ?= --sysroot=$(NW_SYSROOT) -B$(NW_LIBDIR)/ -L$(NW_LIBDIR) -Wl,-rpath-link,$(NW_LIBDIR) \
	-Wl,--dynamic-linker=/lib/ld-linux-aarch64.so.1
NW_LDLIBS  ?= -lteec
