/*
 * guest.h: the one script a sync sends into the VM, and its markers.
 *
 * A guest_script is a list of steps, each plain data: the text of one
 * shell file (guest/NAME.sh, embedded: scripts.h), its positional
 * parameters and, optionally, data for its stdin. The plan builders
 * (vmsync.c, egress.c, cmd_base.c) choose the steps; guest_build() is
 * the one assembler that turns them into bash text for `limactl shell
 * ... bash -s`:
 *
 *	exec 2>&1
 *	export DVM_NAME=... (every value through sq_quote_buf)
 *	dvm_nonce=<nonce>
 *	<guest/prelude.sh>
 *	set -- NAME VALUE ...; <guest/secrets.sh>	(only with secrets)
 *	dvm_failed=0
 *
 * then per step a begin marker, the step in a subshell, and an end
 * marker carrying its exit status:
 *
 *	printf '\n@dvm:%s:%s:%s\n' <nonce> begin <id>
 *	(
 *	set -Eeuo pipefail
 *	set -- <args>			(only when the step has args)
 *	<body>
 *	) </dev/null			(or a quoted heredoc holding the feed)
 *	dvm_rc=$?
 *	printf '\n@dvm:%s:%s:%s:%s\n' <nonce> end <id> "$dvm_rc"
 *	[ "$dvm_rc" -eq 0 ] || exit "$dvm_rc"	(or dvm_failed=1)
 *
 * so that the output holds
 *
 *	@dvm:<nonce>:begin:<id>
 *	@dvm:<nonce>:end:<id>:<status>
 *
 * The nonce is random per run, so output of a step can never be taken
 * for a marker. Values reach a body only as its positional parameters,
 * in a "set --" line written by the quoting function, and a body reads
 * its feed from its own stdin, so it can never read the rest of the
 * script. A failed step stops the script unless it is marked keep_going
 * (independent steps such as projects). dvm's own bodies may also report
 * one word,
 *
 *	@dvm:<nonce>:result:<word>
 *
 * with the prelude's dvm_result (guest/egress.sh's "applied"), and call
 * dvm_warn_host TEXT, which prints a warning marker (below); the scripts
 * of recipes and of the user run in a child bash that has neither
 * function (guest/run-script.sh).
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
	const char	*body;		/* bash text, not owned: scripts.h */
	struct strvec	 args;		/* its positional parameters */
	char		*feed;		/* its stdin, or NULL: /dev/null */
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
	 * when the script ends (guest/secrets.sh). The values only ever
	 * travel on stdin, and guest_show() leaves them out.
	 */
	struct strvec		 secrets;
};
#define GUEST_SCRIPT_INIT { NULL, 0, STRVEC_INIT }

#define GUEST_NONCE_LEN 32
/* What guest_show() prints for the nonce. */
#define GUEST_SHOWN_NONCE "NONCE"

/*
 * Append a step and return it (valid until the next step is added, for
 * setting keep_going). body must outlive the script: it is the text of
 * an embedded file and is not copied. args, when not NULL, is moved into
 * the step and left empty. feed (NULL for none) becomes the body's
 * stdin; the other strings are copied.
 */
struct guest_step *guest_add_step(struct guest_script *gs, const char *id,
    const char *label, enum log_kind log, const char *body,
    struct strvec *args, const char *feed, const char *summary);
/*
 * The last step added shows label instead of its own on success when it
 * reported word; with quiet, it shows nothing else. Strings are copied.
 */
void guest_step_result(struct guest_script *gs, const char *word,
    const char *label, int quiet);
void guest_script_release(struct guest_script *gs);

/* Fill nonce with GUEST_NONCE_LEN random hex digits and a NUL. */
void guest_nonce(char *nonce);
/*
 * Append the script to out. Returns 0, or -1 if a feed holds the
 * heredoc delimiter derived from nonce (pick another nonce and retry).
 */
int guest_build(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c, const char *nonce);
/*
 * Append the script as guest_build() would, for --dry-run: the nonce is
 * GUEST_SHOWN_NONCE and each secret's value '<secret NAME>'.
 */
void guest_show(struct strbuf *out, const struct guest_script *gs,
    const struct vm_config *c);

/*
 * A step's result line, "@dvm:<nonce>:result:<word>", printed by the
 * prelude's dvm_result function: 1 with *word and *len set (word: 1 to
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
 * printed by dvm_warn_host in one of dvm's own bodies, has its text
 * where the id would be: a line of guest text that dvm shows (sanitized)
 * on the terminal as a warning when the step ends.
 */
enum marker_kind guest_parse_marker(const char *line, const char *nonce,
    const char **id, size_t *idlen, int *status);

#endif
