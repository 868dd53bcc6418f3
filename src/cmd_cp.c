/*
 * dvm cp <src> <dst>: copy a file or a directory between the host and a
 * VM (<vm>:<path>) or a project container (<vm>/<project>:<path>).
 *
 * The data travels as a tar stream through one `limactl shell` as
 * DVM_USER (into a container through podman exec), never through
 * limactl copy, whose files would belong to Lima's login user. Relative
 * guest paths start in the code dir or the container's workdir. Both
 * ends write into a temp dir beside the destination and rename into
 * place, so a failed copy leaves nothing half-written behind.
 */
#include "compat.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "config.h"
#include "dvm.h"
#include "lima.h"
#include "paths.h"
#include "podman.h"
#include "proc.h"
#include "quote.h"
#include "sanitize.h"
#include "scripts.h"
#include "session.h"
#include "strbuf.h"
#include "strvec.h"
#include "target.h"
#include "untar.h"
#include "util.h"
#include "validate.h"

/*
 * Both ends refuse to replace a directory with this: place() here, and
 * guest/cp-receive.sh in the same words.
 */
#define DIR_EXISTS "already exists as a directory; remove it first or " \
	"copy to another name"

/* How much a download may bring, and whether VCS metadata comes too. */
struct cp_opts {
	int			 dry_run;	/* print the copy, do nothing */
	int			 with_vcs;
	unsigned long long	 max_size;	/* 0: no limit */
	const char		*max_size_arg;
	unsigned long long	 reserve;
	const char		*reserve_arg;
};

/* Free space a download leaves on the destination's file system. */
#define DEFAULT_RESERVE	"1G"

struct side {
	char	*vm, *proj;	/* both NULL for the host */
	char	*path;		/* as given after the ':' (or the host path) */
};

/* "<vm>:path", "<vm>/<proj>:path" or a host path. */
static void
parse_side(const char *arg, struct side *s)
{
	const char *colon = strchr(arg, ':');
	char *name, *slash;

	memset(s, 0, sizeof(*s));
	if (colon && colon != arg) {
		name = xstrndup(arg, (size_t)(colon - arg));
		slash = strchr(name, '/');
		if (slash)
			*slash = '\0';
		if (valid_name(name) && (!slash || valid_name(slash + 1))) {
			s->vm = xstrdup(name);
			s->proj = slash ? xstrdup(slash + 1) : NULL;
			s->path = xstrdup(colon + 1);
			free(name);
			return;
		}
		free(name);
	}
	s->path = xstrdup(arg);
}

/*
 * The <vm> or <vm>/<project> of an argument meant as a guest side that
 * parse_side() took for a host path because the name is not valid
 * ("App:notes"), or NULL: a host path with a ':' starts with '.', '/' or
 * '~', or has more than one '/' before it.
 */
static char *
meant_remote(const char *arg)
{
	const char *colon = strchr(arg, ':'), *slash;

	if (colon == NULL || colon == arg || strchr("./~", arg[0]))
		return NULL;
	slash = memchr(arg, '/', (size_t)(colon - arg));
	if (slash && memchr(slash + 1, '/', (size_t)(colon - slash - 1)))
		return NULL;
	return xstrndup(arg, (size_t)(colon - arg));
}

static void
side_release(struct side *s)
{
	free(s->vm);
	free(s->proj);
	free(s->path);
}

/* The absolute guest path: relative ones start in base. */
static char *
guest_path(const char *path, const char *base)
{
	if (*path == '/')
		return xstrdup(path);
	if (*path == '\0' || strcmp(path, ".") == 0)
		return xstrdup(base);
	if (has_prefix(path, "./"))
		path += 2;
	return xasprintf("%s/%s", base, path);
}

static char *
base_name(const char *path)
{
	char *copy = xstrdup(path), *end, *slash;

	end = copy + strlen(copy);
	while (end > copy + 1 && end[-1] == '/')
		*--end = '\0';
	slash = strrchr(copy, '/');
	if (slash && slash[1]) {
		char *b = xstrdup(slash + 1);

		free(copy);
		return b;
	}
	return copy;
}

/* The limactl argv that runs script (with args) on the guest side. */
static void
guest_argv(struct strvec *av, const struct vm_config *c,
    const struct project *p, const char *script, char *const *args)
{
	struct strvec cmd = STRVEC_INIT, ex = STRVEC_INIT;

	if (p == NULL) {
		lima_user_argv(av, opt.limactl, c->name, 1, c->user, script,
		    args);
		return;
	}
	strvec_pushl(&cmd, "sh", "-c", script, "sh", NULL);
	strvec_pushv(&cmd, args);
	podman_exec_argv(&ex, c->name, p, 0, cmd.v);
	session_project_argv(av, c, p, 1, ex.v);
	strvec_clear(&cmd);
	strvec_clear(&ex);
}

/* A temp file for the tar stream, unlinked at once: nothing to clean. */
static int
temp_fd(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/dvm-cp.XXXXXX", tmp && *tmp == '/' ? tmp :
	    "/tmp");
	int fd = mkstemp(path);

	if (fd < 0)
		error_errno("cannot create a temporary file for the copy");
	else
		unlink(path);
	free(path);
	return fd;
}

/* --dry-run: the two commands of the copy, as one shell pipeline. */
static void
print_pipeline(const struct strvec *from, const struct strvec *to)
{
	struct strbuf sb = STRBUF_INIT;

	sq_quote_argv(&sb, from->v);
	strbuf_addstr(&sb, " | ");
	sq_quote_argv(&sb, to->v);
	puts(sb.buf);
	strbuf_release(&sb);
}

static int
run_to(struct strvec *av, int in, int out)
{
	struct proc p = PROC_INIT;

	strvec_pushv(&p.args, av->v);
	p.in = in;
	p.out = out;
	if (proc_start(&p) < 0)
		return -1;
	return proc_finish(&p);
}

static int
upload(const struct vm_config *c, const struct project *p, const char *src,
    const char *dest, int dry_run)
{
	struct strvec tar = STRVEC_INIT, av = STRVEC_INIT, args = STRVEC_INIT;
	char *dir = xstrdup(src), *name = base_name(src), *slash;
	char *member = NULL;
	int fd, ret = -1, status;
	struct stat st;

	if (stat(src, &st) < 0) {
		error_errno("cannot copy %s", src);
		goto out;
	}
	for (slash = dir + strlen(dir); slash > dir + 1 && slash[-1] == '/';)
		*--slash = '\0';
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	/*
	 * COPYFILE_DISABLE keeps macOS tar from adding ._ resource files;
	 * "./" keeps a name such as "-x" or "--" from reading as an option.
	 */
	member = xasprintf("./%s", name);
	strvec_pushl(&tar, "env", "COPYFILE_DISABLE=1", "tar", "-c", "-f", "-",
	    "-C", dir, member, NULL);
	strvec_pushl(&args, dest, name, NULL);
	guest_argv(&av, c, p, guest_cp_receive_sh, args.v);
	if (dry_run) {
		print_pipeline(&tar, &av);
		ret = 0;
		goto out;
	}
	if ((fd = temp_fd()) < 0)
		goto out;
	status = run_to(&tar, PROC_NULL, dup(fd));
	if (status != 0) {
		if (status > 0)
			error("tar of %s failed with exit status %d", src,
			    status);
		close(fd);
		goto out;
	}
	lseek(fd, 0, SEEK_SET);
	status = run_to(&av, fd, 0);
	if (status != 0) {
		error("copy into %s failed with exit status %d", dest, status);
		goto out;
	}
	ret = 0;
out:
	strvec_clear(&tar);
	strvec_clear(&av);
	strvec_clear(&args);
	free(dir);
	free(name);
	free(member);
	return ret;
}

/*
 * Put the one entry of dir (named name) at dest on the host: inside dest
 * when it is a directory, else as dest, by rename from beside it.
 */
/* Where a download named name lands: inside dest if it is a directory. */
static char *
host_target(const char *dest, const char *name)
{
	if (is_dir(dest))
		return xasprintf("%s/%s", dest, name);
	return xstrdup(dest);
}

static int
place(const char *tmpdir, const char *name, const char *dest)
{
	char *from = xasprintf("%s/%s", tmpdir, name);
	char *target = host_target(dest, name);
	int ret = 0;

	/* rename() would replace an empty directory: refuse any. */
	if (is_dir(target))
		ret = error("%s " DIR_EXISTS, target);
	else if (rename(from, target) < 0)
		ret = error_errno("cannot write %s", target);
	free(from);
	free(target);
	return ret;
}

/* The guest side of a download: its stdout feeds untar(). */
struct guest_stream {
	struct proc	 proc;
	int		 out, err;	/* pipe read ends, -1 once closed */
	int		 eof;		/* the guest closed its stdout */
	struct strbuf	 line;		/* a partial stderr line */
};

/* Show the guest's stderr through the sanitizer, a line at a time. */
static void
relay_stderr(struct guest_stream *g, int flush)
{
	struct strbuf out = STRBUF_INIT;
	char *nl;
	size_t len;

	while (g->line.len) {
		nl = memchr(g->line.buf, '\n', g->line.len);
		if (nl == NULL && !flush && g->line.len < 4096)
			break;
		len = nl ? (size_t)(nl - g->line.buf) + 1 : g->line.len;
		sanitize_add(&out, g->line.buf, nl ? len - 1 : len,
		    SANITIZE_FIELD);
		strbuf_addch(&out, '\n');
		memmove(g->line.buf, g->line.buf + len, g->line.len - len);
		g->line.len -= len;
		g->line.buf[g->line.len] = '\0';
	}
	if (out.len) {
		fflush(stdout);
		write_all(STDERR_FILENO, out.buf, out.len);
	}
	strbuf_release(&out);
}

/* Read what the guest wrote to stderr; 0 once it is closed. */
static int
read_stderr(struct guest_stream *g)
{
	char buf[4096];
	ssize_t n = read(g->err, buf, sizeof(buf));

	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0) {
		close(g->err);
		g->err = -1;
		relay_stderr(g, 1);
		return 0;
	}
	strbuf_add(&g->line, buf, (size_t)n);
	relay_stderr(g, 0);
	return 1;
}

/* untar_read_fn: the guest's stdout, relaying its stderr meanwhile. */
static ssize_t
guest_read(void *ctx, void *buf, size_t len)
{
	struct guest_stream *g = ctx;
	struct pollfd pfd[2];
	ssize_t n;

	for (;;) {
		if (proc_caught()) {
			errno = EINTR;
			return -1;
		}
		pfd[0].fd = g->out;
		pfd[0].events = POLLIN;
		pfd[1].fd = g->err;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (g->err >= 0 && pfd[1].revents)
			read_stderr(g);
		if (pfd[0].revents) {
			n = read(g->out, buf, len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				g->eof = 1;
			return n;
		}
	}
}

static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/*
 * Stop reading and reap the guest side. A guest that is still sending
 * when we stop (an error, a signal) has its whole process group stopped;
 * one that has closed its stdout gets a moment to exit on its own, so
 * its exit status and last words are its own.
 */
static int
finish_guest(struct guest_stream *g, int stop)
{
	int status = 255, waited = 0;

	if (g->out >= 0) {
		close(g->out);
		g->out = -1;
	}
	if (stop)
		proc_kill(&g->proc, SIGTERM);
	for (;;) {
		if (g->err >= 0) {
			struct pollfd pfd;

			pfd.fd = g->err;
			pfd.events = POLLIN;
			pfd.revents = 0;
			if (poll(&pfd, 1, 50) > 0)
				read_stderr(g);
		} else {
			sleep_ms(20);
		}
		if (proc_poll(&g->proc, &status))
			break;
		waited += 50;
		if (waited == 3000)
			proc_kill(&g->proc, SIGTERM);
		else if (waited >= 5000 && waited % 1000 == 0)
			proc_kill(&g->proc, SIGKILL);
	}
	/* The group is gone: what it left in the pipe is all there is. */
	while (g->err >= 0) {
		struct pollfd pfd;

		pfd.fd = g->err;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 200) <= 0 || !read_stderr(g))
			break;
	}
	if (g->err >= 0) {
		close(g->err);
		g->err = -1;
	}
	relay_stderr(g, 1);
	return status;
}

static int
download(const struct vm_config *c, const struct project *p, const char *src,
    const char *dest, const struct cp_opts *co)
{
	struct strvec av = STRVEC_INIT, args = STRVEC_INIT;
	struct guest_stream g;
	struct untar_opts uo;
	struct untar_result res;
	char *parent, *slash, *tmpdir = NULL, *name = base_name(src);
	char *target = NULL;
	int ret = -1, status, sig, failed;

	memset(&res, 0, sizeof(res));
	memset(&g, 0, sizeof(g));
	g.out = g.err = -1;
	strbuf_init(&g.line);
	parent = xstrdup(dest);
	if (!is_dir(dest)) {
		if ((slash = strrchr(parent, '/')) == NULL)
			strcpy(parent, ".");
		else if (slash == parent)
			parent[1] = '\0';
		else
			*slash = '\0';
	}
	if (!is_dir(parent)) {
		error("cannot write %s: no directory %s", dest, parent);
		goto out;
	}
	/* Refused before anything travels (place() checks again). */
	target = host_target(dest, name);
	if (is_dir(target)) {
		error("%s " DIR_EXISTS, target);
		goto out;
	}
	strvec_push(&args, src);
	guest_argv(&av, c, p, guest_cp_send_sh, args.v);
	if (co->dry_run) {
		struct strbuf sb = STRBUF_INIT;

		sq_quote_argv(&sb, av.v);
		strbuf_addf(&sb, "  # unpacked by dvm's own tar reader into %s",
		    parent);
		puts(sb.buf);
		strbuf_release(&sb);
		ret = 0;
		goto out;
	}
	tmpdir = xasprintf("%s/.dvm-cp.XXXXXX", parent);
	if (mkdtemp(tmpdir) == NULL) {
		error_errno("cannot create a temporary directory in %s", parent);
		free(tmpdir);
		tmpdir = NULL;
		goto out;
	}
	proc_catch_signals();
	g.proc = (struct proc)PROC_INIT;
	strvec_pushv(&g.proc.args, av.v);
	g.proc.in = PROC_NULL;
	g.proc.out = PROC_PIPE;
	g.proc.err = PROC_PIPE;
	g.proc.new_pgrp = 1;
	if (proc_start(&g.proc) < 0)
		goto out;
	g.out = g.proc.out;
	g.err = g.proc.err;

	memset(&uo, 0, sizeof(uo));
	uo.top = name;
	uo.with_vcs = co->with_vcs;
	uo.max_size = co->max_size;
	uo.max_size_arg = co->max_size_arg;
	uo.reserve = co->reserve;
	uo.reserve_arg = co->reserve_arg;
	uo.where = parent;
	failed = untar(tmpdir, guest_read, &g, &uo, &res) < 0;
	status = finish_guest(&g, failed && !g.eof);
	if ((sig = proc_caught()) != 0) {
		remove_tree(tmpdir);
		proc_die_of_signal(sig);
	}
	if (status != 0 && (!failed || g.eof)) {
		error("copy from %s failed with exit status %d", src, status);
		goto out;
	}
	if (failed) {
		error("copy from %s: %s; nothing was written", src, res.why);
		goto out;
	}
	if (!res.top_arrived) {
		error("copy from %s: nothing arrived (every entry was skipped)",
		    src);
		goto out;
	}
	if (place(tmpdir, name, dest) < 0)
		goto out;
	if (res.vcs_arrived)
		warning("--with-vcs: git config from a VM can run commands on "
		    "the host (core.fsmonitor, hooks); read %s/.git/config "
		    "before running git there", target);
	if (res.skipped)
		warning("%lu %s skipped; everything else arrived in %s",
		    res.skipped, res.skipped == 1 ? "entry" : "entries",
		    target);
	ret = 0;
out:
	if (g.out >= 0 || g.err >= 0 || g.proc.pid > 0)
		finish_guest(&g, 1);
	if (tmpdir) {
		remove_tree(tmpdir);
		free(tmpdir);
	}
	untar_result_release(&res);
	strbuf_release(&g.line);
	strvec_clear(&av);
	strvec_clear(&args);
	free(target);
	free(parent);
	free(name);
	return ret;
}

int
cmd_cp(int argc, char **argv)
{
	struct cp_opts co;
	const char *max_size = NULL, *reserve;
	const struct flag flags[] = {
		{ "--dry-run", "-n", &co.dry_run, NULL },
		{ "--with-vcs", NULL, &co.with_vcs, NULL },
		{ "--max-size", NULL, NULL, &max_size },
		{ NULL, NULL, NULL, NULL }
	};
	struct strvec ops = STRVEC_INIT;
	struct side a, b, *remote;
	struct vm_config *c = NULL;
	const struct project *p;
	char *gpath = NULL;
	int ret = EXIT_FAIL;

	memset(&co, 0, sizeof(co));
	co.dry_run = opt.dry_run;
	parse_args(argc, argv, flags, 0, &ops);
	if (max_size && !valid_size(max_size, &co.max_size))
		usage_error(argv[0], "--max-size '%s' is not a size (write it "
		    "like 500M or 2G)", max_size);
	co.max_size_arg = max_size;
	reserve = getenv("DVM_CP_RESERVE");
	if (reserve == NULL || *reserve == '\0')
		reserve = DEFAULT_RESERVE;
	if (strcmp(reserve, "0") != 0 && !valid_size(reserve, &co.reserve)) {
		error("DVM_CP_RESERVE='%s' is not a size (write it like 500M "
		    "or 2G, or 0 for none)", reserve);
		exit(EXIT_USAGE);
	}
	co.reserve_arg = reserve;
	if (ops.nr != 2)
		usage_error(argv[0], ops.nr < 2 ? "need a source and a "
		    "destination" : "too many arguments");
	parse_side(ops.v[0], &a);
	parse_side(ops.v[1], &b);
	if (a.vm && b.vm)
		usage_error(argv[0], "copy between two guests is not "
		    "supported; copy through the host");
	if (!a.vm && !b.vm) {
		char *target = meant_remote(ops.v[1]);

		if (target == NULL)
			target = meant_remote(ops.v[0]);
		/* Says what is wrong with the name ("App"), and exits. */
		if (target) {
			char *vm, *proj;

			parse_target_operand(argv[0], target, &vm, &proj);
			free(vm);
			free(proj);
			free(target);
		}
		usage_error(argv[0], "one side must be <vm>:<path> or "
		    "<vm>/<project>:<path> (write a host path that has a ':' "
		    "as ./<path>)");
	}
	remote = a.vm ? &a : &b;
	if (reserved_vm_name(remote->vm))
		usage_error(argv[0], "'%s' is reserved by dvm", remote->vm);
	/* The user's own mistake first: a host file that is not there. */
	if (b.vm && access(a.path, F_OK) < 0) {
		error_errno("cannot copy %s", a.path);
		goto out;
	}
	if (load_target(remote->vm, remote->proj, &c, &p) < 0)
		goto out;
	/* A dry run shows the copy whether or not the VM exists yet. */
	if (!co.dry_run && session_need_instance(remote->vm) < 0)
		goto out;
	gpath = guest_path(remote->path, p ? p->workdir : c->code_dir);
	if (a.vm)
		ret = download(c, p, gpath, b.path, &co) < 0 ? EXIT_FAIL :
		    EXIT_OK;
	else
		ret = upload(c, p, a.path, gpath, co.dry_run) < 0 ? EXIT_FAIL :
		    EXIT_OK;
out:
	config_free(c, 1);
	side_release(&a);
	side_release(&b);
	strvec_clear(&ops);
	free(gpath);
	return ret;
}
