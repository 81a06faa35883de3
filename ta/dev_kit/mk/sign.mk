# sign.mk — the TA signing key and tool, shared by the top-level Makefile
# and the TA kit (ta_dev_kit.mk). Needs MT_ROOT.
#
#	TA_SIGN_KEY   the RSA-2048 private key TAs are signed with (PEM). Default:
#	              the tree's development key, made on first use into the
#	              git-ignored cache and never committed. Name your own with
#	              TA_SIGN_KEY=... (the secure image then trusts that key).
#	MT_TASIGN     the signing tool (host/tasign, built over OpenSSL's libcrypto)

MT_SIGN_CACHE ?= $(MT_ROOT)/build/cache/keys
TA_SIGN_KEY ?= $(MT_SIGN_CACHE)/ta_dev_key.pem
MT_TASIGN ?= $(MT_ROOT)/build/host/tasign
TA_VERSION_NUMBER ?= 0

ifndef MT_SIGN_RULES
MT_SIGN_RULES := 1
$(MT_SIGN_CACHE)/ta_dev_key.pem:
	@mkdir -p $(dir $@)
	@echo "  KEY     $@ (the tree's TA development key, RSA-2048)"
	@umask 077 && openssl genrsa -out $@.tmp 2048 2>/dev/null && mv $@.tmp $@

$(MT_ROOT)/build/host/tasign: $(MT_ROOT)/host/tasign/tasign.c $(MT_ROOT)/include/microtee/ta_shdr.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(or $(HOSTCC),gcc) -std=c11 -O2 -Wall -Wextra -Werror $< -o $@ -lcrypto
endif
