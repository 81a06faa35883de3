global-incdirs-y += include
srcs-y += crash_ta.c crash_fp.S
