global-incdirs-y += ../storage_test/include
srcs-y += storage_peer_ta.c
