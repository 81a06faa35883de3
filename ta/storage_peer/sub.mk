global-incdirs-y += ../storage_test/include
srcs-y += storage_peer_ta.c
# The stored-attribute checks go below the GP API too: lib/tee's internals
# (the storage and crypto service handles, the ids behind GP handles).
incdirs-y += ../../lib/tee ../../lib/rt
