global-incdirs-y += include
srcs-y += keys_test_ta.c
