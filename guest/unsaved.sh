# shellcheck shell=sh
# unsaved.sh: the unsaved-work check dvm rm and dvm reset make before they
# delete anything. Runs as DVM_USER in the VM (bash -lc) for a VM's code
# dir, or inside a project's container (sh -c, so POSIX sh only) for its
# workspace volume.
#   $1 the directory to look in (nothing there: nothing to lose).
# Lists git repositories with staged, unstaged or untracked changes,
# commits that no remote-tracking branch has (all of a repository
# without a remote) or stashes, and files outside any repository (not
# dvm key's .dvm-ssh: losing that key costs a new deploy key, no work); dvm
# shows the list as hostile text. Exit 3 when it found some, 4 when
# there are repositories but no git to check them with.
code=$1
[ -d "$code" ] || exit 0
dirty=0
repos=$(find "$code" -name .git -prune -print | sed 's|/\.git$||')
if [ -n "$repos" ] && ! command -v git >/dev/null 2>&1; then
	echo 'git is not installed in the VM, so its repositories cannot be checked'
	exit 4
fi
while IFS= read -r repo; do
	[ -n "$repo" ] || continue
	why=''
	git -C "$repo" diff --cached --quiet 2>/dev/null || why="$why, staged changes"
	git -C "$repo" diff --quiet 2>/dev/null || why="$why, unstaged changes"
	[ -z "$(git -C "$repo" ls-files --others --exclude-standard 2>/dev/null)" ] ||
		why="$why, untracked files"
	[ -z "$(git -C "$repo" log --branches --not --remotes --format=%h 2>/dev/null | head -n 1)" ] ||
		why="$why, commits on no remote"
	[ -z "$(git -C "$repo" stash list 2>/dev/null | head -n 1)" ] ||
		why="$why, stashed changes"
	if [ -n "$why" ]; then
		echo "repository $repo:${why#,}"
		dirty=1
	fi
done <<EOF
$repos
EOF
# Files outside any repository. A code dir that is itself a repository
# was looked at whole above (untracked files); .dvm-ssh is dvm key's.
loose=''
if [ ! -e "$code/.git" ]; then
	loose=$(find "$code" -mindepth 1 \( -path "$code/.dvm-ssh" -prune \) -o \
		\( -type d -exec test -e '{}/.git' \; -prune \) -o -type f -print)
fi
if [ -n "$loose" ]; then
	n=$(printf '%s\n' "$loose" | wc -l)
	echo "$n file(s) outside any git repository, such as:"
	printf '%s\n' "$loose" | head -n 5 | sed 's/^/  /'
	dirty=1
fi
[ "$dirty" -eq 0 ] || exit 3
