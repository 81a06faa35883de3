global-incdirs-y += include
srcs-y += crypto_demo_ta.c
