global-incdirs-y += include
srcs-y += versioned_ta.c
cflags-y += -DVERSIONED_TA_BUILD=$(or $(TA_VERSION_NUMBER),0)
