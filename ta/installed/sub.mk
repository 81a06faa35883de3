global-incdirs-y += include
srcs-y += installed_ta.c
