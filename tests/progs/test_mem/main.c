#include "mt.h"
#include <stdio.h>
int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg, (void)arg2;
	printf("test_mem: not written yet\n");
	return 1;
}
