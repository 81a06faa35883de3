/* The same TA as ta/keys_test; only its UUID (user_ta_header_defines.h) differs. */
#include "../keys_test/keys_test_ta.c"
