/* Checks shared by every command that takes a VM operand. */
#include "compat.h"

#include "dvm.h"
#include "target.h"
#include "util.h"
#include "validate.h"

void
check_vm_operand(const char *cmd, const char *arg)
{
	if (!valid_name(arg))
		usage_error(cmd, "invalid VM name '%s' (a lowercase letter, "
		    "then a-z, 0-9 or '-', at most %d characters)", arg,
		    NAME_MAX_LEN);
	if (reserved_vm_name(arg))
		usage_error(cmd, "'%s' is reserved by dvm; pick another VM "
		    "name", arg);
}
