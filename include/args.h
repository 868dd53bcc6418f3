/*
 * args.h: option parsing shared by the commands.
 *
 * dvm's options may come before or after the operands ("dvm rm app
 * --yes"), so getopt's stop-at-first-operand rule does not fit; this
 * small parser takes a table of the command's flags instead. "--" ends
 * the options; with stop_at_operand set (ssh), so does the first operand,
 * so a remote command keeps its own flags.
 */
#ifndef DVM_ARGS_H
#define DVM_ARGS_H

struct strvec;

struct flag {
	const char	*name;		/* "--yes" */
	const char	*alias;		/* "-y" or NULL */
	int		*set;		/* set to 1 when seen (bool flags) */
	const char	**value;	/* takes a value: --x=v or --x v */
};

/*
 * Parse argv[1..argc-1] (argv[0] is the command name). Operands are
 * pushed to operands. -h/--help prints the command's help and exits 0;
 * an unknown option or a missing value is a usage error (exit 2).
 */
void parse_args(int argc, char **argv, const struct flag *flags,
    int stop_at_operand, struct strvec *operands);

#endif
