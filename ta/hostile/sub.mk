global-incdirs-y += include
# The attacker goes below the GP API: lib/tee's internals (the crypto
# service handle and the ids behind GP handles) and the raw system calls.
incdirs-y += ../../lib/tee ../../lib/rt
srcs-y += hostile_ta.c victim.c attacks.c keep.c
