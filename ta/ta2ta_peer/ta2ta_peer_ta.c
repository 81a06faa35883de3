/* The same TA as ta/ta2ta_test; only its UUID (user_ta_header_defines.h) differs. */
#include "../ta2ta_test/ta2ta_test_ta.c"
