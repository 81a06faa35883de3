global-incdirs-y += ../keys_test/include
srcs-y += keys_peer_ta.c
