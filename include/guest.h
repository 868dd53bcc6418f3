/*
 * guest.h: the one script a sync sends into the VM.
 *
 * A guest_script is a list of steps. guest_build() turns it into bash
 * text for `limactl shell ... bash -s`: "exec 2>&1", one export line of
 * DVM_* values (every value through sq_quote_buf), then per step a begin
 * marker, the step in a subshell with "set -Eeuo pipefail" and stdin
 * from /dev/null, and an end marker carrying its exit status:
 *
 *	@dvm:<nonce>:begin:<id>
 *	@dvm:<nonce>:end:<id>:<status>
 *
 * The nonce is random per run, so output of a step can never be taken
 * for a marker. A failed step stops the script unless it is marked
 * keep_going (independent steps such as projects). dvm's own fragments
 * may also report one word,
 *
 *	@dvm:<nonce>:result:<word>
 *
 * with the frame's dvm_result function (guest/egress.sh's "applied"), and
 * call dvm_warn_host TEXT, which prints a warning marker (below); the
 * scripts of recipes and of the user run in a child bash that has
 * neither function.
 */
#ifndef DVM_GUEST_H
#define DVM_GUEST_H

#include <stddef.h>

#include "log.h"
#include "strvec.h"

struct strbuf;
struct vm_config;

struct guest_step {
	char		*id;		/* [a-z0-9:-], unique in the script */
	char		*label;		/* what the user sees */
	enum log_kind	 log;		/* which per-VM log gets its output */
	/*
	 * bash text written by dvm. With feed set, one of its lines ends in
	 * FEED_MARK, which becomes a quoted heredoc holding feed.
	 */
	char		*fragment;
	char		*feed;		/* data or a user's script, or NULL */
	char		*summary;	/* one line for --dry-run */
	int		 keep_going;
	/*
	 * A step may report one word with dvm_result (a line with the
	 * nonce, see guest_parse_result()). When it reports result_word
	 * and succeeds, its check mark reads result_label. A quiet step
	 * shows no progress line of its own: only that check mark, or its
	 * cross when it fails.
	 */
	char		*result_word;
	char		*result_label;
	int		 quiet;
};

struct guest_script {
	struct guest_step	*steps;
	size_t			 nr;
	/*
	 * NAME=value pairs staged before the first step as 0600 files in a
	 * private temp dir, exported as DVM_SECRET_FILE_<NAME> and removed
	 * when the script ends. The values only ever travel on stdin.
	 */
	struct strvec		 secrets;
};
#define GUEST_SCRIPT_INIT { NULL, 0, STRVEC_INIT }

#define GUEST_NONCE_LEN 32

#define FEED_MARK "@FEED@"

/* Append a step whose body is dvm's own text. Strings are copied. */
void guest_add_fragment(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *fragment,
    const char *summary);
/*
 * Append a step whose fragment has a line ending in FEED_MARK; feed is
 * given to that line's command on stdin. Strings are copied.
 */
void guest_add_fed(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *fragment,
    const char *feed, const char *summary);
/*
 * Append a step that runs text (a recipe, a user's script) with bash
 * -Eeu -o pipefail from a temp file, stdin /dev/null.
 */
void guest_add_script(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *text,
    const char *summary);
/*
 * Append a step that runs the user's script at path (read now) with bash
 * -Eeu -o pipefail. Returns 0, or -1 if the file cannot be read.
 */
int guest_add_user_script(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *path);
/*
 * The last step added shows label instead of its own on success when it
 * reported word; with quiet, it shows nothing else. Strings are copied.
 */
void guest_step_result(struct guest_script *gs, const char *word,
    const char *label, int quiet);
/* Bootstrap: DVM_USER, its subuid/subgid ranges, the code dir. */
void guest_add_bootstrap(struct guest_script *gs, const struct vm_config *c);
/*
 * Before any project: podman installed, linger and the user's runtime
 * dir for rootless podman, podman-restart enabled (best effort).
 */
void guest_add_podman_prep(struct guest_script *gs);
/*
 * Build localhost/dvm-dev-base:latest from the base64 tar of its context
 * unless the image's label already holds hash; always with rebuild
 * (DVM_REBUILD_DEV_BASE=1 on the host).
 */
void guest_add_devbase(struct guest_script *gs, const char *hash,
    const char *tar_b64, int rebuild);
/*
 * Bring one project container up: create it once, start it, run its
 * setup.sh (read now, when p->setup_path is set) inside it. The step
 * keeps going on failure, so sibling projects still run. -1 if the
 * setup script cannot be read.
 */
struct project;
int guest_add_project(struct guest_script *gs, const char *vm,
    const struct project *p);
/* Remove a project's container, and its volume unless keep_data. */
void guest_add_project_removal(struct guest_script *gs, const char *vm,
    const struct project *p, int keep_data);
void guest_script_release(struct guest_script *gs);

/* Fill nonce with GUEST_NONCE_LEN random hex digits and a NUL. */
void guest_nonce(char *nonce);
/*
 * Build the script. Returns 0, or -1 if a user script contains the
 * heredoc delimiter derived from nonce (pick another nonce and retry).
 */
int guest_build(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c, const char *nonce);

/*
 * A step's result line, "@dvm:<nonce>:result:<word>", printed by the
 * frame's dvm_result function: 1 with *word and *len set (word: 1 to
 * GUEST_RESULT_MAX lowercase letters, pointing into line), else 0.
 */
#define GUEST_RESULT_MAX 16
int guest_parse_result(const char *line, const char *nonce,
    const char **word, size_t *len);

/* Marker parsing for the runner: pure, tested on its own. */
enum marker_kind {
	MARKER_NONE,
	MARKER_BEGIN,
	MARKER_END,
	MARKER_WARN
};
/*
 * Classify one output line (without its newline). For a marker, *id
 * points into line and *idlen is its length; for an end marker *status
 * is the step's exit status. A warning marker,
 *
 *	@dvm:<nonce>:warn:<text>
 *
 * printed by dvm_warn_host in one of dvm's own fragments, has its text
 * where the id would be: a line of guest text that dvm shows (sanitized)
 * on the terminal as a warning when the step ends.
 */
enum marker_kind guest_parse_marker(const char *line, const char *nonce,
    const char **id, size_t *idlen, int *status);

#endif
