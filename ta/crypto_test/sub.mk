global-incdirs-y += include
srcs-y += crypto_test_ta.c vectors.c t_sym.c t_asym.c t_api.c t_sizes.c
