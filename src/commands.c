/*
 * The command table, usage errors and the help and version commands.
 * Kept apart from main() so the unit tests can link every command.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dvm.h"
#include "suggest.h"
#include "strbuf.h"
#include "template.h"
#include "util.h"

struct dvm_options opt;

static const struct cmd commands[] = {
	{ "add", cmd_add, "add <vm>/<project> [--dry-run]",
	  "write a starter project.sh and setup.sh for a project container",
	  "Writes ~/.config/dvm/vms/<vm>/projects/<project>/{project.sh,"
	  "setup.sh}. Never\noverwrites a file.\n\nExamples:\n"
	  "  dvm add trusted/api\n" },
	{ "base", cmd_base, "base init | dev-init | build [--clean] "
	  "[--no-cache] | status | rm [--builder] [--image] [--dry-run]",
	  "the base image new VMs boot from, and the dev-base of projects",
	  "init and dev-init write ~/.config/dvm/base/Containerfile and\n"
	  "base/dev/Containerfile (with base/packages.txt); build bakes the "
	  "VM image in\na builder VM; status and rm look after it.\n\n"
	  "Examples:\n  dvm base dev-init\n  dvm base init && dvm base "
	  "build\n  dvm base rm --builder\n" },
	{ "cp", cmd_cp, "cp <src> <dst> [--dry-run]",
	  "copy files or directories between the host and a VM or container",
	  "One side is <vm>:<path> or <vm>/<project>:<path>; relative guest "
	  "paths start\nin the code dir or the container's workdir. Copies run "
	  "as DVM_USER; the\ndestination is replaced whole or not at all.\n\n"
	  "Examples:\n  dvm cp app:notes.txt .\n  dvm cp ./src app:\n"
	  "  dvm cp trusted/api:dist ./dist\n" },
	{ "doctor", cmd_doctor, "doctor",
	  "check limactl, bash, the config and the instances on this host",
	  "One line per check; exits 1 if any check failed.\n\nExamples:\n"
	  "  dvm doctor\n" },
	{ "help", cmd_help, "help [<command>]",
	  "show the commands, or one command's help",
	  "Examples:\n  dvm help\n  dvm help sync\n" },
	{ "key", cmd_key, "key <vm> | <vm>/<project> [--json]",
	  "print an SSH key for getting code in (made once, stays in the guest)",
	  "Makes an ed25519 key for DVM_USER in the VM when there is none and\n"
	  "prints its public half and fingerprint: add it as a deploy key (or\n"
	  "to your account) to clone over SSH. For <vm>/<project>, the project\n"
	  "gets a key of its own in its workspace volume (PROJ_WORKDIR/.dvm-ssh,\n"
	  "kept by reset --keep-data), and git in its container uses it: a\n"
	  "deploy key is good for one repository. The private key never\n"
	  "leaves the guest. ssh-key is another name for it.\n\n"
	  "Examples:\n  dvm key app\n  dvm key app/api --json\n" },
	{ "logs", cmd_logs, "logs <vm>/<project> [-f] | <vm> <unit> "
	  "[<journalctl args>]",
	  "show a project container's logs, or a VM service's journal",
	  "Examples:\n  dvm logs trusted/api -f\n  dvm logs tunnel "
	  "dvm-cloudflared.service -f\n" },
	{ "ls", cmd_ls, "ls [<vm>] [--json] [--only-config]",
	  "list VMs, or one VM's projects with their container state",
	  "Lists every Lima instance named dvm-<vm> and every VM that has a "
	  "config;\nwith a VM, its projects. Does not start a stopped VM.\n"
	  "--json prints the same as a JSON array (see docs/commands.md).\n"
	  "\nExamples:\n  dvm ls\n  dvm ls trusted\n  dvm ls --json\n" },
	{ "new", cmd_new, "new <vm> [--template @TEMPLATES@] [--dry-run] | "
	  "--list-templates",
	  "write a starter config.sh and setup.sh for a VM",
	  "Writes ~/.config/dvm/vms/<vm>/{config.sh,setup.sh} (and the "
	  "global config.sh the\nfirst time). Never overwrites a file. "
	  "Alias: init. A template adds its lines to\nconfig.sh: the "
	  "bundled ones, and yours from "
	  "~/.config/dvm/templates/<name>.sh.\n\nExamples:\n  dvm new app\n"
	  "  dvm new tunnel --template cloudflared\n"
	  "  dvm new --list-templates\n" },
	{ "recipes", cmd_recipes, "recipes [<name>]",
	  "list the recipes a config can use, with their descriptions",
	  "Bundled recipes, and yours from ~/.config/dvm/recipes/<name>.sh,"
	  " which\noverride a bundled one of the same name. Pick them in a "
	  "config with\n`use <name>`. With a name, prints that recipe: what "
	  "`use <name>` runs in\nthe VM.\n\nExamples:\n  dvm recipes\n"
	  "  dvm recipes claude\n" },
	{ "reset", cmd_reset, "reset <vm> | <vm>/<project> --yes [--force] "
	  "[--keep-data] [--dry-run]",
	  "delete a VM's instance and build it again from its config",
	  "Refuses while the code dir (for a project, its workspace volume) "
	  "holds unsaved\nwork, as rm does, unless --force. With "
	  "<vm>/<project>, only that container is\nrecreated (and its "
	  "workspace volume, unless --keep-data); siblings and the VM\n"
	  "stay.\n"
	  "\nExamples:\n  dvm reset app --yes\n  dvm reset trusted/api --yes "
	  "--keep-data\n" },
	{ "rm", cmd_rm, "rm <vm> | <vm>/<project> --yes [--force] "
	  "[--keep-data] [--config] [--dry-run]",
	  "delete a VM's instance (and with --config its config)",
	  "Refuses while the code dir (for a project, its workspace volume) "
	  "holds unsaved\nwork: changes, commits or stashes no remote has, "
	  "files outside git. --force\ndeletes anyway.\n\nExamples:\n  dvm rm app --yes\n  dvm rm app --yes --config\n"
	  "  dvm rm trusted/web --yes --keep-data\n" },
	{ "sh", cmd_sh, "sh <vm> | <vm>/<project>",
	  "open a login shell as DVM_USER in the VM's code dir",
	  "Starts the VM (and the container) if stopped.\n\nExamples:\n"
	  "  dvm sh app\n  dvm sh trusted/api\n" },
	{ "ssh", cmd_ssh, "ssh <vm> | <vm>/<project> [--] <command> "
	  "[<arg>...]",
	  "run one command as DVM_USER in the code dir; its exit status "
	  "is dvm's",
	  "The command's arguments reach the VM exactly as given.\n\n"
	  "Examples:\n  dvm ssh app -- git status\n  dvm ssh app ls -la\n"
	  "  dvm ssh trusted/api -- npm test\n" },
	{ "stop", cmd_stop, "stop <vm> | <vm>/<project> | --all [--only-config] "
	  "[--dry-run]",
	  "stop a VM, or every dvm VM; a stopped VM is fine",
	  "Examples:\n  dvm stop app\n  dvm stop --all\n" },
	{ "sync", cmd_sync, "sync <vm> | <vm>/<project> | --all [--jobs N] "
	  "[--dry-run]",
	  "create or start the VM, bootstrap DVM_USER and run setup.sh",
	  "Idempotent: run it after every config change. --all syncs every "
	  "VM, up to\n--jobs at once (default 4).\n\nExamples:\n"
	  "  dvm sync app\n  dvm sync trusted/api\n  dvm sync --all\n"
	  "  dvm sync app --dry-run\n" },
	{ "version", cmd_version, "version",
	  "print the version",
	  "Examples:\n  dvm version\n  dvm --version\n" },
};

static const struct cmd cmd_init_alias = {
	"init", cmd_new, "init <vm> [--template @TEMPLATES@] [--dry-run] | "
	"--list-templates",
	"alias of new", NULL
};

const struct cmd *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(commands); i++) {
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	}
	if (strcmp(name, "init") == 0)
		return &cmd_init_alias;
	if (strcmp(name, "ssh-key") == 0)
		return cmd_find("key");
	return NULL;
}

const char *
cmd_suggest(const char *name)
{
	const char *names[nitems(commands) + 2];
	size_t i;

	for (i = 0; i < nitems(commands); i++)
		names[i] = commands[i].name;
	names[i++] = cmd_init_alias.name;
	names[i] = "ssh-key";
	return suggest(name, names, nitems(names));
}

/* "usage: dvm <synopsis>", with the templates there are for new's. */
static void
print_usage(FILE *f, const struct cmd *c)
{
	struct strbuf sb = STRBUF_INIT;
	const char *vars[] = { "TEMPLATES", NULL, NULL };
	char *list;

	if (strchr(c->usage, '@') == NULL) {
		fprintf(f, "usage: dvm %s\n", c->usage);
		return;
	}
	vars[1] = list = template_list("|");
	template_expand(&sb, c->usage, vars);
	fprintf(f, "usage: dvm %s\n", sb.buf);
	strbuf_release(&sb);
	free(list);
}

void
usage_error(const char *cmd, const char *fmt, ...)
{
	const struct cmd *c = cmd ? cmd_find(cmd) : NULL;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s", msg);
	if (c)
		print_usage(stderr, c);
	else
		fprintf(stderr, "usage: dvm <command> [<args>]  (see: dvm "
		    "help)\n");
	exit(EXIT_USAGE);
}

void
print_cmd_help(const struct cmd *c)
{
	if (c == NULL)
		return;
	print_usage(stdout, c);
	printf("\n%s.\n", c->summary);
	if (c->help)
		printf("\n%s", c->help);
}

void
print_overview(FILE *f)
{
	size_t i;

	fputs("usage: dvm <command> [<args>]\n\n"
	    "dvm keeps each project in its own Fedora VM (Lima).\n\n"
	    "commands:\n", f);
	for (i = 0; i < nitems(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name,
		    commands[i].summary);
	fputs("\nRun 'dvm help <command>' for one command's usage.\n", f);
}

int
cmd_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc > 2)
		usage_error("help", "too many arguments");
	if (argc == 1) {
		print_overview(stdout);
		return EXIT_OK;
	}
	/* `dvm help --help` is help's own help, like every other command. */
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		c = cmd_find("help");
	else if ((c = cmd_find(argv[1])) == NULL && cmd_suggest(argv[1]))
		usage_error("help", "unknown command '%s' (did you mean "
		    "'%s'?)", argv[1], cmd_suggest(argv[1]));
	else if (c == NULL)
		usage_error("help", "unknown command '%s'", argv[1]);
	print_cmd_help(c);
	return EXIT_OK;
}

int
cmd_version(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		print_cmd_help(cmd_find("version"));
		return EXIT_OK;
	}
	if (argc > 1)
		usage_error("version", "too many arguments");
	printf("dvm %s\n", DVM_VERSION);
	return EXIT_OK;
}

