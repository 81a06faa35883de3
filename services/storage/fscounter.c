/* The store's rollback counter, the pure part (fscounter.h). */
#include "fscounter.h"

enum fsc_verdict fsc_judge(uint64_t head, uint64_t counter)
{
	if (head < counter)
		return FSC_ROLLBACK;
	if (head == counter)
		return FSC_EQUAL;
	return head - counter == 1 ? FSC_CUT : FSC_AHEAD;
}
