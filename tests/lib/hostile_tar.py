# tests/lib/hostile_tar.py, run as tests/lib/hostile-tar: write one crafted
# tar stream to stdout, as a hostile guest could send it to `dvm cp` (guest
# -> host). Test tool, stdlib only (zstd through the zstd command).
#
#   hostile-tar [--outside DIR] SCENARIO    the archive on stdout
#   hostile-tar --list                      the scenarios, one a line
#
# The requested top-level entry is always ./payload (children ./payload/...),
# named the way GNU tar names them. DIR is a host directory the archive
# aims at from outside the copy: absolute names, absolute symlink targets,
# hard links to a host file (DIR/host-secret) and the marker files that
# hooks would create (DIR/fsmonitor-ran, DIR/hg-hook-ran). Default:
# /tmp/hostile-tar-outside.
#
# Archives end with two zero blocks, padded to a 10240-byte record like
# GNU tar's, unless the scenario is about a stream that ends early.
#
# Endless scenarios write until the reader goes away (EPIPE). With
# HOSTILE_TAR_MAX_BYTES=N they stop writing after N bytes but do not exit:
# they wait to be killed, so the stream stays endless for the reader while
# a reader that spools the stream to disk cannot fill it.

import os
import sys
import time
# gzip, bz2, lzma and subprocess are imported by the scenarios that use
# them, and signal not at all: a start costs less without them.

BLOCK = 512
RECORD = 10240
MTIME = 1700000000
GiB = 1 << 30
MiB = 1 << 20

OUTSIDE = '/tmp/hostile-tar-outside'


def b(s):
    """str -> bytes (surrogateescape keeps raw bytes such as \\xff)."""
    if isinstance(s, bytes):
        return s
    return s.encode('utf-8', 'surrogateescape')


def octal(n, width):
    """An octal number field: width-1 digits and a NUL."""
    s = b'%0*o' % (width - 1, n)
    if len(s) > width - 1:
        raise ValueError('%d does not fit in %d octal digits' % (n, width - 1))
    return s + b'\0'


def base256(n, width):
    """A GNU base-256 number field (high bit of the first byte set)."""
    return b'\x80' + n.to_bytes(width - 1, 'big')


def field(v, width):
    v = b(v)
    if len(v) > width:
        raise ValueError('%r is longer than %d bytes' % (v, width))
    return v + b'\0' * (width - len(v))


def header(name, typ=b'0', size=0, mode=0o644, linkname=b'', uid=1000,
           gid=1000, uname='developer', gname='developer', devmajor=0,
           devminor=0, gnu=False, size_field=None, bad_checksum=False,
           gnu_tail=None):
    """One 512-byte header. gnu: GNU magic ("ustar  ") instead of ustar
    (what tar --format=pax writes). size_field: raw bytes for the size.
    gnu_tail: raw bytes for offsets 345..499 (GNU sparse map etc.)."""
    h = bytearray(BLOCK)
    h[0:100] = field(b(name)[:100], 100)
    h[100:108] = octal(mode, 8)
    h[108:116] = octal(uid, 8)
    h[116:124] = octal(gid, 8)
    h[124:136] = size_field if size_field is not None else octal(size, 12)
    h[136:148] = octal(MTIME, 12)
    h[148:156] = b' ' * 8
    h[156:157] = typ
    h[157:257] = field(b(linkname)[:100], 100)
    h[257:265] = b'ustar  \0' if gnu else b'ustar\x0000'
    h[265:297] = field(uname, 32)
    h[297:329] = field(gname, 32)
    if typ in (b'3', b'4') or not gnu:
        h[329:337] = octal(devmajor, 8)
        h[337:345] = octal(devminor, 8)
    if gnu_tail is not None:
        h[345:345 + len(gnu_tail)] = gnu_tail
    chk = sum(h)
    if bad_checksum:
        chk += 1
    h[148:156] = b'%06o\0 ' % chk
    return bytes(h)


def pad(data):
    return data + b'\0' * (-len(data) % BLOCK)


def entry(name, data=b'', typ=b'0', **kw):
    data = b(data)
    return header(name, typ=typ, size=len(data), **kw) + pad(data)


def dir_(name, mode=0o755, **kw):
    return entry(name, typ=b'5', mode=mode, **kw)


def file_(name, data=b'', mode=0o644, **kw):
    return entry(name, data, typ=b'0', mode=mode, **kw)


def symlink(name, target, **kw):
    return entry(name, typ=b'2', mode=0o777, linkname=target, **kw)


def hardlink(name, target, **kw):
    return entry(name, typ=b'1', linkname=target, **kw)


def pax_records(recs):
    out = b''
    for k, v in recs:
        body = b' ' + b(k) + b'=' + b(v) + b'\n'
        n = len(body) + 1
        while len(b'%d' % n) + len(body) != n:
            n = len(b'%d' % n) + len(body)
        out += b'%d' % n + body
    return out


def pax(name, recs, typ=b'x'):
    """A pax extended ('x') or global ('g') header for the next entry."""
    if typ == b'x':
        d, _, f = b(name).rpartition(b'/')
        hname = (d + b'/PaxHeaders/' + f) if d else b'PaxHeaders/' + f
    else:
        hname = name
    return entry(hname[:100], pax_records(recs), typ=typ, uid=0, gid=0,
                 uname='root', gname='root')


def gnu_long(name, typ):
    """A GNU ././@LongLink header: L (the next name) or K (its linkname)."""
    data = b(name) + b'\0'
    return entry('././@LongLink', data, typ=typ, mode=0, uid=0, gid=0,
                 uname='root', gname='root', gnu=True)


def end(data=b''):
    """Two zero blocks, then zeros up to a whole 10240-byte record."""
    data += b'\0' * (2 * BLOCK)
    return data + b'\0' * (-len(data) % RECORD)


TOP = dir_('./payload/')


# ---------------------------------------------------------------- scenarios
# Each returns the archive as bytes, or writes it itself (endless ones).

SCENARIOS = {}


def scenario(desc):
    def reg(fn):
        SCENARIOS[fn.__name__.rstrip('_').replace('_', '-')] = (fn, desc)
        return fn
    return reg


@scenario("'..' names: ./payload/../../evil (skipped), ./payload/v1..2 (fine)")
def dotdot():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               file_('./payload/../../evil', 'evil\n') +
               file_('./payload/v1..2', 'version\n'))


@scenario('an absolute name: DIR/abs-evil')
def absolute():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               file_(OUTSIDE + '/abs-evil', 'evil\n'))


@scenario('an absolute symlink: payload/key -> /etc/passwd')
def symlink_absolute():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               symlink('./payload/key', '/etc/passwd'))


@scenario('relative symlinks that lead outside: payload/up -> ../../outside, '
          'payload/sneaky -> ../payload/ok.txt (outside once renamed)')
def symlink_escaping():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               symlink('./payload/up', '../../outside') +
               symlink('./payload/sneaky', '../payload/ok.txt'))


@scenario('the top-level entry is a symlink: ./payload -> ..')
def symlink_toplevel():
    return end(symlink('./payload', '..'))


@scenario('a symlink, then a file through it: payload/d -> DIR, payload/d/file; '
          'payload/e -> .., payload/e/file2; payload/s -> sub (fine), '
          'payload/s/file3')
def symlink_then_file():
    return end(TOP + dir_('./payload/sub/') +
               file_('./payload/sub/inside', 'inside\n') +
               symlink('./payload/d', OUTSIDE) +
               file_('./payload/d/file', 'through d\n') +
               symlink('./payload/e', '..') +
               file_('./payload/e/file2', 'through e\n') +
               symlink('./payload/s', 'sub') +
               file_('./payload/s/file3', 'through s\n'))


@scenario('a chain of in-tree links that ends outside: payload/l1 -> l2, '
          'payload/l2 -> sub/l3, payload/sub/l3 -> ../../..')
def symlink_chain_out():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               symlink('./payload/l1', 'l2') +
               symlink('./payload/l2', 'sub/l3') +
               dir_('./payload/sub/') +
               symlink('./payload/sub/l3', '../../..'))


@scenario('good in-tree links: payload/bin/tool -> ../lib/tool.js, chains, '
          '. and .., a link to a later entry')
def symlink_good():
    return end(TOP + dir_('./payload/bin/') +
               symlink('./payload/bin/tool', '../lib/tool.js') +
               symlink('./payload/bin/up', '..') +
               symlink('./payload/self', '.') +
               symlink('./payload/c1', 'c2') +
               symlink('./payload/c2', 'lib/tool.js') +
               symlink('./payload/libdir', 'lib') +
               dir_('./payload/lib/') +
               file_('./payload/lib/tool.js', 'console.log(1)\n'))


@scenario('symlinks to nothing in the copy: payload/gone -> nothere, '
          'payload/sub/gone2 -> ../missing/x, payload/tofifo -> fifo (a FIFO, '
          'skipped)')
def symlink_dangling():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               symlink('./payload/gone', 'nothere') +
               dir_('./payload/sub/') +
               symlink('./payload/sub/gone2', '../missing/x') +
               entry('./payload/fifo', typ=b'6') +
               symlink('./payload/tofifo', 'fifo'))


@scenario('hard links to host files: /etc/passwd, ../../etc/passwd, '
          'DIR/host-secret')
def hardlink_host():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               hardlink('./payload/pw', '/etc/passwd') +
               hardlink('./payload/pw2', '../../etc/passwd') +
               hardlink('./payload/hs', OUTSIDE + '/host-secret'))


@scenario('hard links to a not-yet-seen entry, to a directory, to a symlink')
def hardlink_forward():
    return end(TOP + hardlink('./payload/fwd', './payload/later') +
               file_('./payload/later', 'later\n') +
               hardlink('./payload/todir', './payload/') +
               symlink('./payload/sl', 'later') +
               hardlink('./payload/tosl', './payload/sl'))


@scenario('hard links to an earlier file (good): payload/h, payload/sub/h2, '
          'payload/h3 -> payload/f')
def hardlink_good():
    return end(TOP + file_('./payload/f', 'shared\n') +
               hardlink('./payload/h', './payload/f') +
               dir_('./payload/sub/') +
               hardlink('./payload/sub/h2', './payload/f') +
               hardlink('./payload/h3', 'payload/f'))


@scenario('a character device (1,3), a block device (7,99) and a FIFO')
def devices():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               entry('./payload/chr', typ=b'3', mode=0o666, devmajor=1,
                     devminor=3) +
               entry('./payload/blk', typ=b'4', mode=0o660, devmajor=7,
                     devminor=99) +
               entry('./payload/fifo', typ=b'6', mode=0o644))


@scenario('setuid, setgid and sticky modes, owned by uid 0')
def special_modes():
    root = dict(uid=0, gid=0, uname='root', gname='root')
    return end(dir_('./payload/', **root) +
               file_('./payload/suid', '#!/bin/sh\n', mode=0o4755, **root) +
               file_('./payload/sgid', '#!/bin/sh\n', mode=0o2755, **root) +
               dir_('./payload/sticky/', mode=0o1777, **root) +
               file_('./payload/all', 'x\n', mode=0o7777, **root) +
               file_('./payload/plain', 'x\n', mode=0o644, **root))


@scenario('a size header that claims 1 MiB; 1000 bytes follow, then the '
          'stream ends')
def size_lies_long():
    return (TOP + file_('./payload/ok.txt', 'ok\n') +
            header('./payload/big', size=MiB) + b'B' * 1000)


@scenario('a size header of 10 bytes before 2000 bytes of data (the next '
          'header, at byte 1536, is data)')
def size_lies_short():
    return end(TOP + header('./payload/f', size=10) + pad(b'A' * 2000))


def good_archive():
    return end(TOP + file_('./payload/ok.txt', 'ok\n'))


@scenario('a gzip-compressed tar stream')
def gzip_():
    import gzip
    return gzip.compress(good_archive(), mtime=0)


@scenario('a bzip2-compressed tar stream')
def bzip2():
    import bz2
    return bz2.compress(good_archive())


@scenario('a zstd-compressed tar stream (needs the zstd command)')
def zstd():
    import subprocess
    return subprocess.run(['zstd', '-q', '-c'], input=good_archive(),
                          stdout=subprocess.PIPE, check=True).stdout


@scenario('an xz bomb: ~20 KB of xz that holds a tar with a 128 MiB file')
def xz_bomb():
    import lzma
    out = sys.stdout.buffer
    c = lzma.LZMACompressor(preset=1)
    out.write(c.compress(TOP + header('./payload/zeros', size=128 * MiB)))
    z = bytes(MiB)
    for _ in range(128):
        out.write(c.compress(z))
    out.write(c.compress(end()))
    out.write(c.flush())


def cap_from_env():
    v = os.environ.get('HOSTILE_TAR_MAX_BYTES', '')
    return int(v) if v else None


def write_forever(prefix, more):
    """Write prefix, then more() again and again until EPIPE (or the cap)."""
    out = sys.stdout.buffer
    cap = cap_from_env()
    written = 0
    chunk = prefix
    while True:
        if cap is not None and written + len(chunk) > cap:
            out.flush()
            while True:
                time.sleep(3600)
        out.write(chunk)
        written += len(chunk)
        chunk = more()


@scenario('an endless stream: payload/huge claims 64 GiB (pax size), then '
          'zeros until the reader goes away')
def endless_stream():
    zeros = bytes(MiB)
    write_forever(TOP + pax('./payload/huge', [('size', str(64 * GiB))]) +
                  header('./payload/huge', size=0), lambda: zeros)


@scenario('an endless stream: payload/huge claims 64 GiB (base-256 size '
          'field), then zeros until the reader goes away')
def endless_base256():
    zeros = bytes(MiB)
    write_forever(TOP + header('./payload/huge',
                               size_field=base256(64 * GiB, 12), gnu=True),
                  lambda: zeros)


@scenario('an endless sequence of entries: payload/f000000001, ... (4 KiB '
          'each) until the reader goes away')
def endless_entries():
    n = [0]
    data = b'x' * 4096

    def nxt():
        n[0] += 1
        return file_('./payload/f%09d' % n[0], data)
    write_forever(TOP, nxt)


def mode000_entries():
    return (TOP + dir_('./payload/locked/', mode=0) +
            file_('./payload/locked/secret', 'secret\n', mode=0) +
            file_('./payload/after', 'after\n'))


@scenario('a mode-000 directory holding a mode-000 file')
def mode000():
    return end(mode000_entries())


@scenario('a mode-000 directory holding a mode-000 file, then the stream '
          'ends inside payload/cut')
def mode000_truncated():
    return (mode000_entries() + header('./payload/cut', size=4096) +
            b'c' * 100)


CONTROL_NAMES = ['new\nline', '\x1b]0;owned\x07', '\x1b[2J',
                 'rtl\u202etxt.exe']


@scenario('names with a newline, ESC ]0;owned BEL, ESC [2J, U+202E: as fine '
          'files, and as absolute symlinks (skipped); plus invalid UTF-8')
def control_names():
    a = TOP
    for n in CONTROL_NAMES:
        a += file_('./payload/' + n, 'fine\n')
    a += file_(b'./payload/latin1-\xe9', 'fine\n')
    for n in ['new\nline-link', '\x1b]0;owned\x07-link', '\x1b[2J-link',
              'rtl\u202e-link']:
        a += symlink('./payload/' + n, '/etc/passwd')
    a += symlink(b'./payload/bad\xff-link', '/etc/passwd')
    return end(a)


LONG_DIR = 'd' * 60
LONG_FILE = 'f' * 60
LONG_PATH = './payload/' + LONG_DIR + '/' + LONG_FILE     # 131 bytes
LONG_TARGET = LONG_DIR + '/' + LONG_FILE                  # 121 bytes
LONG_DOTDOT = './payload/' + 'x' * 60 + '/../../../' + 'y' * 60
LONG_OUT_TARGET = '../' * 40 + 'etc/passwd'               # 130 bytes
LONG_ABS_TARGET = '/' + 'z' * 120


def long_tree(name_hdr, link_hdr, gnu):
    """The same long-name tree, long names given by name_hdr(name) and
    long link targets by link_hdr(target) headers."""
    kw = dict(gnu=gnu)
    a = dir_('./payload/', **kw) + dir_('./payload/' + LONG_DIR + '/', **kw)
    a += name_hdr(LONG_PATH) + file_(LONG_PATH[:100], 'long\n', **kw)
    a += link_hdr(LONG_TARGET) + symlink('./payload/ln-long', LONG_TARGET[:100],
                                         **kw)
    a += name_hdr(LONG_DOTDOT) + file_(LONG_DOTDOT[:100], 'evil\n', **kw)
    a += link_hdr(LONG_OUT_TARGET) + symlink('./payload/ln-out',
                                             LONG_OUT_TARGET[:100], **kw)
    a += link_hdr(LONG_ABS_TARGET) + hardlink('./payload/hl-out',
                                              LONG_ABS_TARGET[:100], **kw)
    return a


@scenario('names and link targets over 100 bytes as GNU ././@LongLink L/K: '
          'in-tree ones, a long name with .., a long escaping symlink '
          'target, a long absolute hard link target')
def gnu_longnames():
    return end(long_tree(lambda n: gnu_long(n, b'L'),
                         lambda t: gnu_long(t, b'K'), True))


@scenario('the same as gnu-longnames with pax path/linkpath records; plus a '
          'ustar name ./payload/../../evil-ustar that pax renames to '
          'payload/pax-renamed')
def pax_longnames():
    a = long_tree(lambda n: pax(n[:90], [('path', n)]),
                  lambda t: pax('./payload/ln', [('linkpath', t)]), False)
    a += pax('./payload/pax-renamed', [('path', './payload/pax-renamed')])
    a += file_('./payload/../../evil-ustar', 'renamed\n')
    return end(a)


@scenario('payload/.git with HEAD, config ([core] fsmonitor = "touch '
          'DIR/fsmonitor-ran"), objects/, refs/, hooks/post-checkout; plus '
          '.gitignore, x.git and src/main.c')
def git_fsmonitor():
    marker = OUTSIDE + '/fsmonitor-ran'
    config = ('[core]\n\trepositoryformatversion = 0\n\tbare = false\n'
              '\tfsmonitor = "touch %s"\n' % marker)
    return end(TOP + dir_('./payload/.git/') +
               file_('./payload/.git/HEAD', 'ref: refs/heads/main\n') +
               file_('./payload/.git/config', config) +
               dir_('./payload/.git/objects/') +
               dir_('./payload/.git/refs/') +
               dir_('./payload/.git/hooks/') +
               file_('./payload/.git/hooks/post-checkout',
                     '#!/bin/sh\ntouch %s\n' % marker, mode=0o755) +
               file_('./payload/.gitignore', '*.o\n') +
               file_('./payload/x.git', 'not vcs\n') +
               dir_('./payload/src/') +
               file_('./payload/src/main.c', 'int main(void){return 0;}\n'))


@scenario('payload/.hg/hgrc with a [hooks] entry (touch DIR/hg-hook-ran), '
          'plus README')
def hg_hooks():
    hgrc = '[hooks]\nupdate = touch %s/hg-hook-ran\n' % OUTSIDE
    return end(TOP + dir_('./payload/.hg/') +
               file_('./payload/.hg/hgrc', hgrc) +
               file_('./payload/README', 'readme\n'))


@scenario('a payload/sub/.git FILE (gitdir: /etc) and a payload/.svn '
          'directory, plus sub/keep.c')
def vcs_file_svn():
    return end(TOP + dir_('./payload/sub/') +
               file_('./payload/sub/.git', 'gitdir: /etc\n') +
               file_('./payload/sub/keep.c', 'int x;\n') +
               dir_('./payload/.svn/') +
               file_('./payload/.svn/entries', '12\n'))


@scenario('a pax global header (named /tmp/GlobalHead.1.1, as GNU tar names '
          'it) before a fine archive')
def pax_global():
    return end(pax('/tmp/GlobalHead.1.1', [('comment', 'hostile-tar'),
                                           ('mtime', str(MTIME))], typ=b'g') +
               TOP + file_('./payload/ok.txt', 'ok\n'))


@scenario("an old GNU sparse entry (type 'S'): payload/sparse, 8 KiB with 512 "
          'bytes of data at 4096')
def gnu_sparse():
    tail = bytearray(155)
    # GNU header after devminor: atime, ctime, offset, longnames, pad
    # (41 bytes), then sp[4] of offset/numbytes at 386, isextended at 482,
    # realsize at 483.
    tail[386 - 345:398 - 345] = octal(4096, 12)
    tail[398 - 345:410 - 345] = octal(512, 12)
    # GNU tar ends the map with an empty chunk at the real size.
    tail[410 - 345:422 - 345] = octal(8192, 12)
    tail[422 - 345:434 - 345] = octal(0, 12)
    tail[483 - 345:495 - 345] = octal(8192, 12)
    data = b'S' * 512
    a = dir_('./payload/', gnu=True) + file_('./payload/ok.txt', 'ok\n', gnu=True)
    a += header('./payload/sparse', typ=b'S', size=len(data), gnu=True,
                gnu_tail=bytes(tail)) + pad(data)
    return end(a)


@scenario('duplicate names: payload/f twice (first "first"), payload/x a '
          'directory then a file')
def duplicates():
    return end(TOP + file_('./payload/f', 'first\n') +
               file_('./payload/f', 'second\n') +
               dir_('./payload/x/') + file_('./payload/x/in', 'in\n') +
               file_('./payload/x', 'file over dir\n'))


@scenario('entries outside the requested name: ./other, ./payloadx; and '
          'payload/nodot (no ./, fine)')
def not_payload():
    return end(TOP + file_('./payload/ok.txt', 'ok\n') +
               file_('./other', 'other\n') +
               file_('./payloadx', 'prefix trap\n') +
               file_('payload/nodot', 'nodot\n'))


@scenario('not a tar archive at all (text)')
def garbage():
    return (b'this is not a tar archive, just text\n' * 300)[:RECORD]


@scenario('a bad checksum in the second header (at byte 512)')
def bad_checksum():
    return end(TOP + header('./payload/f', size=3, bad_checksum=True) +
               pad(b'abc'))


@scenario('fine entries, then the stream ends without the two zero blocks')
def no_end_marker():
    return TOP + file_('./payload/ok.txt', 'ok\n')


@scenario('an empty stream (0 bytes)')
def empty_stream():
    return b''


@scenario('ESC ]0;owned BEL, ESC [2J and U+202E on stderr, then a fine '
          'archive on stdout')
def stderr_escapes():
    sys.stderr.buffer.write(b'tar: \x1b]0;owned\x07 title\n'
                            b'tar: \x1b[2J clear\n'
                            b'tar: rtl \xe2\x80\xae evil\n')
    sys.stderr.buffer.flush()
    return good_archive()


def main(argv):
    # Like a C tar: EPIPE ends it quietly (status 141, as SIGPIPE would),
    # an interrupt without a traceback (130).
    try:
        return run(argv)
    except BrokenPipeError:
        os._exit(141)
    except KeyboardInterrupt:
        os._exit(130)


def run(argv):
    global OUTSIDE
    args = argv[1:]
    if args[:1] == ['--list']:
        for name, (_, desc) in SCENARIOS.items():
            print('%s\t%s' % (name, desc))
        return 0
    if len(args) >= 2 and args[0] == '--outside':
        OUTSIDE = args[1].rstrip('/') or '/'
        args = args[2:]
    if len(args) != 1 or args[0] not in SCENARIOS:
        sys.stderr.write('usage: hostile-tar [--outside DIR] SCENARIO | '
                         '--list\n')
        return 2
    data = SCENARIOS[args[0]][0]()
    if data is not None:
        sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
