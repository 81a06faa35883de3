global-incdirs-y += ../ta2ta_test/include
srcs-y += ta2ta_peer_ta.c
