global-incdirs-y += include
srcs-y += ta2ta_test_ta.c
