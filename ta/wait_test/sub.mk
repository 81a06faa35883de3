global-incdirs-y += include
srcs-y += wait_test_ta.c
