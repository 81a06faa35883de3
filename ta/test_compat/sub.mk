global-incdirs-y += include
srcs-y += test_compat_ta.c
