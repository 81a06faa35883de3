/* ESR decoding (esr.h), after the Arm ARM's ESR_ELx description (D17.2.37). */
#include "esr.h"

#define EC_UNKNOWN     0x00
#define EC_WFX         0x01
#define EC_FP          0x07
#define EC_ILLEGAL     0x0e
#define EC_SVC64       0x15
#define EC_SYSREG      0x18
#define EC_IABT_LOW    0x20
#define EC_IABT_CUR    0x21
#define EC_PC_ALIGN    0x22
#define EC_DABT_LOW    0x24
#define EC_DABT_CUR    0x25
#define EC_SP_ALIGN    0x26
#define EC_FP_EXC      0x2c
#define EC_SERROR      0x2f
#define EC_BREAKPT_LOW 0x30
#define EC_STEP_LOW    0x32
#define EC_WATCHPT_LOW 0x34
#define EC_BRK64       0x3c

#define ISS_WNR (1U << 6) /* data abort: caused by a write */
#define ISS_CM  (1U << 8) /* data abort: by a cache maintenance instruction */

static const char *class_name(unsigned ec)
{
	switch (ec) {
	case EC_UNKNOWN:
		return "undefined instruction";
	case EC_WFX:
		return "trapped WFI/WFE";
	case EC_FP:
		return "trapped FP/SIMD access";
	case EC_ILLEGAL:
		return "illegal execution state";
	case EC_SVC64:
		return "system call";
	case EC_SYSREG:
		return "trapped system register access";
	case EC_IABT_LOW:
	case EC_IABT_CUR:
		return "instruction abort";
	case EC_PC_ALIGN:
		return "pc alignment fault";
	case EC_DABT_LOW:
	case EC_DABT_CUR:
		return "data abort";
	case EC_SP_ALIGN:
		return "sp alignment fault";
	case EC_FP_EXC:
		return "floating-point exception";
	case EC_SERROR:
		return "SError";
	case EC_BREAKPT_LOW:
		return "breakpoint";
	case EC_STEP_LOW:
		return "software step";
	case EC_WATCHPT_LOW:
		return "watchpoint";
	case EC_BRK64:
		return "BRK instruction";
	default:
		return "other exception";
	}
}

/* The fault status code, ESR[5:0] of an abort; *level for those with one. */
static const char *fault_name(unsigned fsc, int *level)
{
	*level = -1;
	switch (fsc >> 2) {
	case 0x0:
		*level = (int)(fsc & 3);
		return "address size fault";
	case 0x1:
		*level = (int)(fsc & 3);
		return "translation fault";
	case 0x2:
		*level = (int)(fsc & 3);
		return "access flag fault";
	case 0x3:
		*level = (int)(fsc & 3);
		return "permission fault";
	default:
		break;
	}
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x11:
		return "synchronous tag check fault";
	case 0x18:
		return "synchronous parity or ECC error";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	case 0x31:
		return "unsupported atomic hardware update";
	default:
		return "other abort";
	}
}

void esr_decode(uint64_t esr, struct esr_info *out)
{
	unsigned ec = (unsigned)(esr >> 26) & 0x3f;
	unsigned iss = (unsigned)esr & 0x1ffffff;
	out->ec = ec;
	out->what = class_name(ec);
	out->fault = 0;
	out->level = -1;
	out->access = 0;
	if (ec == EC_IABT_LOW || ec == EC_IABT_CUR) {
		out->fault = fault_name(iss & 0x3f, &out->level);
		out->access = "execute";
	} else if (ec == EC_DABT_LOW || ec == EC_DABT_CUR) {
		out->fault = fault_name(iss & 0x3f, &out->level);
		/* A cache maintenance instruction reports WnR 1: it reads. */
		out->access = (iss & ISS_WNR) && !(iss & ISS_CM) ? "write" : "read";
	}
}
