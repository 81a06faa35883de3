/* The same TA as ta/storage_test; only its UUID (user_ta_header_defines.h) differs. */
#include "../storage_test/storage_test_ta.c"
