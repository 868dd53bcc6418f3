# tests/lib/cp_tree.py, run as tests/lib/cp-tree: look at what a `dvm cp`
# download left, in one process (tests/cp-hostile.bats runs it after every
# copy). Stdlib only.
#
#   cp-tree list DIR
#       One line per entry under DIR (DIR itself is .), sorted by name:
#         d MODE NAME
#         f MODE NAME CONTENT [links=N]
#         l NAME -> TARGET
#         ? MODE NAME          (anything else: device, FIFO, socket)
#       MODE in octal as stat %a prints it. NAME, TARGET and CONTENT are
#       escaped: \n, \t, \\, and \xNN for other bytes below 0x20 or from
#       0x7f up. CONTENT of a file over 64 bytes is sha256:HEX. Mode-000
#       directories and files of ours are opened for the walk (u+rwx) and
#       put back, so that a user that is not root sees all of them too.
#
#   cp-tree snapshot ROOT [EXCLUDE...]
#       What a copy must not change: /etc/passwd's link count (other tests
#       may rewrite it), and every entry under ROOT (type, mode, size and
#       link count of files, symlink targets; no directory sizes or times),
#       but those whose path matches an EXCLUDE glob (fnmatch, * matches /)
#       and what is under them.
#
#   cp-tree after ROOT BEFORE OUT ERR DEST UID LISTING [HOST_FILE...] --
#                 [EXCLUDE...]
#       Writes the list of DEST to the file LISTING (empty when there is
#       no DEST), then makes the checks after a copy; one line per
#       problem, exit 1 if any:
#       the snapshot differs from the file BEFORE; a .dvm-cp.* entry
#       under ROOT; OUT not empty; a raw C0 control (but tab and newline),
#       DEL or bidi control (U+202A-U+202E, U+2066-U+2069) in ERR; and,
#       when DEST exists: DEST a symlink; an entry that is not a file,
#       dir or symlink; a setuid/setgid/sticky bit; an owner other than
#       UID; an absolute symlink or one that resolves outside DEST (chains
#       followed); a file whose other hard links are not all in DEST; a
#       file that is one of HOST_FILEs.

import os
import stat
import sys
# fnmatch, hashlib and re are imported where needed: a start costs less.


def esc(b):
    out = []
    for c in b:
        if c == 0x0a:
            out.append('\\n')
        elif c == 0x09:
            out.append('\\t')
        elif c == 0x5c:
            out.append('\\\\')
        elif c < 0x20 or c >= 0x7f:
            out.append('\\x%02x' % c)
        else:
            out.append(chr(c))
    return ''.join(out)


def opened(path, st, fn):
    """fn() on path; when it is ours and its mode keeps us out (a mode-000
    directory or file, and we are not root), with u+rwx for the call."""
    try:
        return fn()
    except PermissionError:
        if st.st_uid != os.geteuid():
            raise
        os.chmod(path, stat.S_IMODE(st.st_mode) | 0o700)
        try:
            return fn()
        finally:
            os.chmod(path, stat.S_IMODE(st.st_mode))


def walk(top):
    """(relative bytes path, lstat) for top and everything under it."""
    yield b'.', os.lstat(top)
    stack = [(b'', os.lstat(top))]
    while stack:
        rel, dst = stack.pop()
        d = os.path.join(top, rel) if rel else top
        names = opened(d, dst, lambda: os.listdir(d))
        # Mode-000 directories are opened for the stats and the walk below.
        saved = None
        if not os.access(d, os.X_OK) and dst.st_uid == os.geteuid():
            saved = stat.S_IMODE(dst.st_mode)
            os.chmod(d, saved | 0o700)
        try:
            for name in names:
                r = os.path.join(rel, name) if rel else name
                st = os.lstat(os.path.join(top, r))
                yield r, st
                if stat.S_ISDIR(st.st_mode):
                    stack.append((r, st))
        finally:
            if saved is not None:
                os.chmod(d, saved)


def listing(top):
    """The list lines for top (see the top of this file)."""
    lines = []
    for rel, st in walk(top):
        mode = '%o' % stat.S_IMODE(st.st_mode)
        name = esc(rel)
        path = os.path.join(top, rel)
        if stat.S_ISDIR(st.st_mode):
            lines.append((rel, 'd %s %s' % (mode, name)))
        elif stat.S_ISREG(st.st_mode):
            def content():
                with open(path, 'rb') as f:
                    if st.st_size <= 64:
                        return esc(f.read())
                    import hashlib
                    h = hashlib.sha256()
                    for chunk in iter(lambda: f.read(1 << 20), b''):
                        h.update(chunk)
                    return 'sha256:' + h.hexdigest()
            line = 'f %s %s %s' % (mode, name, opened(path, st, content))
            if st.st_nlink > 1:
                line += ' links=%d' % st.st_nlink
            lines.append((rel, line))
        elif stat.S_ISLNK(st.st_mode):
            lines.append((rel, 'l %s -> %s' % (name, esc(os.readlink(path)))))
        else:
            lines.append((rel, '? %s %s' % (mode, name)))
    lines.sort()
    return [line for _, line in lines]


def cmd_list(top):
    for line in listing(top):
        print(line)
    return 0


def snapshot(root, excludes):
    import fnmatch
    out = []
    # Only the link count: other tests on the machine may rewrite it.
    try:
        out.append('/etc/passwd links=%d' % os.stat('/etc/passwd').st_nlink)
    except OSError as e:
        out.append('/etc/passwd %s' % e.strerror)

    def skip(path):
        p = os.fsdecode(path)
        return any(fnmatch.fnmatchcase(p, x) for x in excludes)

    def visit(path):
        try:
            st = os.lstat(path)
        except OSError as e:
            out.append('! %s %s' % (esc(path), e.strerror))
            return
        m = st.st_mode
        name = esc(path)
        if stat.S_ISREG(m):
            out.append('f %o %d %d %s' % (stat.S_IMODE(m), st.st_nlink,
                                          st.st_size, name))
        elif stat.S_ISLNK(m):
            out.append('l %s -> %s' % (name, esc(os.readlink(path))))
        elif stat.S_ISDIR(m):
            out.append('d %o %s' % (stat.S_IMODE(m), name))
            try:
                names = sorted(os.listdir(path))
            except OSError as e:
                out.append('! %s %s' % (name, e.strerror))
                return
            for n in names:
                p = os.path.join(path, n)
                if not skip(p):
                    visit(p)
        else:
            out.append('? %o %s' % (m, name))
    visit(root)
    return out


def find_temp(root):
    found = []
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            if n.startswith(b'.dvm-cp.'):
                found.append(os.path.join(d, n))
    return found


RAW = (rb'[\x00-\x08\x0b-\x1f\x7f]|\xe2\x80[\xaa-\xae]|'
       rb'\xe2\x81[\xa6-\xa9]')


def check_dest(top, uid, host_files):
    bad = []
    if os.path.islink(top):
        return ['%s is a symlink' % esc(top)]
    real = os.path.realpath(top)
    hosts = set()
    for h in host_files:
        try:
            st = os.stat(h)
            hosts.add((st.st_dev, st.st_ino))
        except OSError:
            pass
    inodes = {}
    for rel, st in walk(top):
        name = esc(rel)
        path = os.path.join(top, rel)
        m = st.st_mode
        if not (stat.S_ISDIR(m) or stat.S_ISREG(m) or stat.S_ISLNK(m)):
            bad.append('not a file, dir or symlink: %s' % name)
        if not stat.S_ISLNK(m) and stat.S_IMODE(m) & 0o7000:
            bad.append('setuid/setgid/sticky: %s (%o)' % (name, stat.S_IMODE(m)))
        if st.st_uid != uid:
            bad.append('owned by uid %d, not %d: %s' % (st.st_uid, uid, name))
        if stat.S_ISLNK(m):
            target = os.readlink(path)
            if target.startswith(b'/'):
                bad.append('absolute symlink: %s -> %s' % (name, esc(target)))
            r = os.path.realpath(path)
            if r != real and not r.startswith(real + b'/'):
                bad.append('symlink out of the copy: %s -> %s (%s)' %
                           (name, esc(target), esc(r)))
        if stat.S_ISREG(m):
            if (st.st_dev, st.st_ino) in hosts:
                bad.append('a host file: %s' % name)
            if st.st_nlink > 1:
                inodes.setdefault((st.st_dev, st.st_ino), [st.st_nlink, 0])[1] += 1
    for (_, ino), (nlink, seen) in inodes.items():
        if nlink != seen:
            bad.append('inode %d has %d links, %d of them in the copy' %
                       (ino, nlink, seen))
    return bad


def cmd_after(root, before, out, err, dest, uid, list_to, host_files,
              excludes):
    bad = []
    with open(list_to, 'w') as f:
        if os.path.lexists(dest) and not os.path.islink(dest):
            f.write(''.join(line + '\n' for line in listing(dest)))
    with open(before, 'rb') as f:
        old = os.fsdecode(f.read()).splitlines()
    new = snapshot(root, excludes)
    if old != new:
        import difflib
        bad.append('something outside the destination changed:')
        bad += ['  ' + d for d in difflib.unified_diff(old, new, 'before',
                                                        'after', lineterm='',
                                                        n=0)]
    bad += ['a temp dir is left: %s' % esc(t) for t in find_temp(root)]
    if os.path.getsize(out):
        bad.append('stdout is not empty')
    import re
    with open(err, 'rb') as f:
        m = re.search(RAW, f.read())
    if m:
        bad.append('a raw control or bidi byte on stderr: %s' % esc(m.group(0)))
    if os.path.lexists(dest):
        bad += check_dest(dest, uid, host_files)
    for b in bad:
        print(b)
    return 1 if bad else 0


def main(argv):
    args = [os.fsencode(a) for a in argv[1:]]
    if len(args) == 2 and args[0] == b'list':
        return cmd_list(args[1])
    if len(args) >= 2 and args[0] == b'snapshot':
        for line in snapshot(args[1], [os.fsdecode(a) for a in args[2:]]):
            print(line)
        return 0
    if len(args) >= 9 and args[0] == b'after' and b'--' in args:
        i = args.index(b'--')
        a = args[1:i]
        return cmd_after(a[0], a[1], a[2], a[3], a[4], int(a[5]), a[6],
                         a[7:], [os.fsdecode(x) for x in args[i + 1:]])
    sys.stderr.write('usage: cp-tree list DIR | snapshot ROOT [EXCLUDE...] | '
                     'after ROOT BEFORE OUT ERR DEST UID LISTING '
                     '[HOST_FILE...] -- [EXCLUDE...]\n')
    return 2
