/*
 * test_lima.c: unit tests of lima.c: the limactl argv builders.
 */
#include "compat.h"

#include <string.h>

#include "config.h"
#include "instances.h"
#include "lima.h"
#include "strvec.h"

#include "tap.h"
#include "tests.h"

void
test_lima(void)
{
	struct strvec av = STRVEC_INIT;
	struct vm_config c;
	char a0[] = "/home/dev/code/app", a1[] = "echo 'hi there'";
	char a2[] = "a b", a3[] = "$HOME", a4[] = "", a5[] = "--flag";
	char *args[7];

	fill_config(&c);
	lima_create_argv(&av, "limactl", "warn", &c, LIMA_TEMPLATE);
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "start", "--yes",
			"--name=dvm-app", "--cpus=4", "--memory=8", "--disk=100",
			"--mount-none", "template:fedora", NULL
		};
		check_argv(&av, want, "create argv, default type and network");
	}
	strvec_clear(&av);

	c.vm_type = (char *)"vz";
	c.network = (char *)"user-v2";
	strvec_push(&c.ports, "3000:3000");
	strvec_push(&c.ports, "8080:80");
	lima_create_argv(&av, "/opt/lima/bin/limactl", "info", &c,
	    LIMA_TEMPLATE);
	{
		static const char *const want[] = {
			"/opt/lima/bin/limactl", "--log-level", "info", "start",
			"--yes", "--name=dvm-app", "--cpus=4", "--memory=8",
			"--disk=100", "--mount-none", "--vm-type=vz",
			"--network=lima:user-v2", "--port-forward=3000:3000",
			"--port-forward=8080:80", "template:fedora", NULL
		};
		check_argv(&av, want, "create argv, vz, user-v2, two ports");
	}
	strvec_clear(&av);
	c.vm_type = NULL;
	c.network = NULL;
	strvec_clear(&c.ports);
	lima_create_argv(&av, "limactl", "warn", &c, "template:other");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "start", "--yes",
			"--name=dvm-app", "--cpus=4", "--memory=8", "--disk=100",
			"--mount-none", "template:other", NULL
		};
		check_argv(&av, want, "create argv, NULL type and network");
	}
	strvec_clear(&av);
	release_config(&c);

	lima_start_argv(&av, "limactl", "warn", "app");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "start", "dvm-app", NULL
		};
		check_argv(&av, want, "start argv");
	}
	strvec_clear(&av);
	lima_stop_argv(&av, "limactl", "info", "app");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "info", "stop", "dvm-app", NULL
		};
		check_argv(&av, want, "stop argv");
	}
	strvec_clear(&av);
	lima_delete_argv(&av, "limactl", "warn", "my-vm");
	{
		static const char *const want[] = {
			"limactl", "--log-level", "warn", "delete", "--force",
			"dvm-my-vm", NULL
		};
		check_argv(&av, want, "delete argv");
	}
	strvec_clear(&av);
	lima_list_argv(&av, "limactl", INSTANCES_FORMAT, NULL);
	{
		static const char *const want[] = {
			"limactl", "list",
			"--format={{.Name}}\t{{.Status}}\t{{.CPUs}}\t"
			"{{.Memory}}\t{{.Disk}}", NULL
		};
		check_argv(&av, want, "list argv, every instance");
	}
	strvec_clear(&av);
	lima_list_argv(&av, "limactl", "{{.Name}}", "app");
	{
		static const char *const want[] = {
			"limactl", "list", "--format={{.Name}}", "dvm-app", NULL
		};
		check_argv(&av, want, "list argv, one instance");
	}
	strvec_clear(&av);
	lima_script_argv(&av, "limactl", "app");
	{
		static const char *const want[] = {
			"limactl", "shell", "--workdir=/", "dvm-app", "bash", "-s",
			NULL
		};
		check_argv(&av, want, "script argv");
	}
	strvec_clear(&av);
	args[0] = a0;
	args[1] = a1;
	args[2] = a2;
	args[3] = a3;
	args[4] = a4;
	args[5] = a5;
	args[6] = NULL;
	lima_user_argv(&av, "limactl", "app", 1, "dev", "cd \"$1\" && exec bash",
	    args);
	{
		static const char *const want[] = {
			"limactl", "shell", "--start", "--workdir=/", "dvm-app",
			"sudo", "-u", "dev", "-H", "bash", "-lc",
			"cd \"$1\" && exec bash", "bash", "/home/dev/code/app",
			"echo 'hi there'", "a b", "$HOME", "", "--flag", NULL
		};
		check_argv(&av, want, "user argv, args passed as elements");
	}
	strvec_clear(&av);
	lima_user_argv(&av, "limactl", "app", 1, "dev", "exec bash", NULL);
	{
		static const char *const want[] = {
			"limactl", "shell", "--start", "--workdir=/", "dvm-app",
			"sudo", "-u", "dev", "-H", "bash", "-lc", "exec bash",
			"bash", NULL
		};
		check_argv(&av, want, "user argv, no args");
	}
	strvec_clear(&av);
	strvec_push(&av, "keep");
	lima_stop_argv(&av, "limactl", "warn", "app");
	OK(av.nr == 6 && strcmp(av.v[0], "keep") == 0 &&
	    strcmp(av.v[1], "limactl") == 0,
	    "lima: builders append to an existing vector");
	strvec_clear(&av);
}
