global-incdirs-y += include
srcs-y += keepalive_test_ta.c
